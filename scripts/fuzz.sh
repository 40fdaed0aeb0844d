#!/usr/bin/env bash
# The fuzz targets of test/fuzz (docs/fuzzing.md), in a tree of their own built with clang-19,
# libFuzzer, ASan and UBSan:
#   scripts/fuzz.sh build                    configure (once) and build build-fuzz
#   scripts/fuzz.sh run TARGET [SECONDS]     fuzz TARGET from its corpus (default 60 s)
#   scripts/fuzz.sh list                     the targets
# `run` never writes to the corpus in the repository: what it finds goes to
# build-fuzz/test/fuzz/fuzz-work/, crashes to build-fuzz/test/fuzz/fuzz-artifacts/.
# Environment: WORKFLOW_FUZZ_FLAGS (more libFuzzer flags), WORKFLOW_FUZZ_BUILD_DIR (another tree),
# WORKFLOW_FUZZ_CXX_FLAGS (its compile flags, when it is first configured).
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir=$PWD
build_dir=${WORKFLOW_FUZZ_BUILD_DIR:-$source_dir/build-fuzz}
# The ctest tests of a g++ tree say where the targets are; by hand they are in $build_dir.
fuzz_dir=${WORKFLOW_FUZZ_DIR:-$build_dir/test/fuzz}

build() {
  if [ ! -f "$build_dir/build.ninja" ]; then
    # Only the runtime, the operator tools' library (the route table's target) and the targets
    # are built: no compiler, examples or other tests. Line
    # tables are all the debug information a report needs, and quicker to build than -g. -O0
    # would save a sixth of the build and fuzz 3 to 6 times slower.
    cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
      -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
      -DCMAKE_CXX_FLAGS_DEBUG="${WORKFLOW_FUZZ_CXX_FLAGS:--O1 -gline-tables-only}" \
      -DWORKFLOW_BUILD_FUZZERS=ON -DWORKFLOW_BUILD_COMPILER=OFF -DWORKFLOW_BUILD_TESTS=OFF \
      -DWORKFLOW_BUILD_BENCHMARKS=OFF -DWORKFLOW_BUILD_EXAMPLES=OFF -DWORKFLOW_BUILD_TOOLS=ON
  fi
  cmake --build "$build_dir" --target fuzzers -j "$(nproc)"
}

run() {
  local target="$1" seconds="${2:-60}"
  local binary="$fuzz_dir/${target}_fuzz"
  if [ ! -x "$binary" ]; then
    echo "fuzz: no $binary; build the fuzzing tree first: scripts/fuzz.sh build" >&2
    return 1
  fi
  local corpus="$source_dir/test/fuzz/corpus/$target"
  local work="$fuzz_dir/fuzz-work/$target" artifacts="$fuzz_dir/fuzz-artifacts"
  mkdir -p "$work" "$artifacts"
  local dictionary=()
  if [ -f "$source_dir/test/fuzz/$target.dict" ]; then
    dictionary=("-dict=$source_dir/test/fuzz/$target.dict")
  fi
  # New inputs go to the first directory ($work); the corpus is only read. A leak, an ASan or
  # UBSan report, a timeout of one input or more memory than the limit fails the run.
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}" \
    "$binary" "$work" "$corpus" "${dictionary[@]}" -max_total_time="$seconds" -max_len=8192 \
    -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 -artifact_prefix="$artifacts/$target-" \
    ${WORKFLOW_FUZZ_FLAGS:-}
}

case "${1:-}" in
  build) build ;;
  run) shift; run "$@" ;;
  list) sed -n '/^set(fuzz_targets/,/^)/p' test/fuzz/CMakeLists.txt | sed '1d;$d;s/^ *//' ;;
  *) echo "usage: scripts/fuzz.sh build | run TARGET [SECONDS] | list" >&2; exit 2 ;;
esac
