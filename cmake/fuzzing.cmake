# WORKFLOW_BUILD_FUZZERS: every target of this tree is compiled for libFuzzer, with AddressSanitizer
# and UndefinedBehaviorSanitizer. The libraries are instrumented too, not only the fuzz targets:
# their coverage is what guides the fuzzer, and their bugs are what it is there to find.
# scripts/fuzz.sh configures such a tree (build-fuzz) with clang-19; docs/fuzzing.md.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "WORKFLOW_BUILD_FUZZERS needs Clang (libFuzzer), not ${CMAKE_CXX_COMPILER_ID}: "
    "configure with -DCMAKE_CXX_COMPILER=clang++-19, or use scripts/fuzz.sh build")
endif()
# fuzzer-no-link: coverage instrumentation without libFuzzer's main(), which only the fuzz
# targets link (test/fuzz). Any UBSan report stops the run, as a crash does.
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                    -fno-omit-frame-pointer)
add_link_options(-fsanitize=address,undefined)
