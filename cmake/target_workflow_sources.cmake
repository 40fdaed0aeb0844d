# target_workflow_sources(<target> [ROOT <dir>] <source>...)
#
# Runs wfc on each source as a build step and compiles the rewritten file into <target> instead
# of the original. The original stays in the target (not compiled) so IDEs still show it.
#  - the compiler is the Workflow::wfc target: outputs are rebuilt when wfc changes;
#  - wfc sees the target's own include directories and compile definitions (transitively, through
#    a generated response file), so it parses the file exactly as the real compile does;
#  - ROOT (default: the calling project's PROJECT_SOURCE_DIR) is the root stable IDs are relative to;
#  - wfc writes a dependency file, so editing an included header reruns it (Ninja and Makefiles);
#  - generated files go under <target's binary dir>/workflow/<target>/ and are compiled with
#    the original's directory on the quote-include path;
# The target is linked with Workflow::runtime.
function(target_workflow_sources target)
  if(NOT TARGET ${target})
    message(FATAL_ERROR
      "target_workflow_sources: there is no target named '${target}'. Call it after "
      "add_executable(${target} ...) or add_library(${target} ...).")
  endif()
  cmake_parse_arguments(PARSE_ARGV 1 WF "" "ROOT" "")
  if(NOT WF_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "target_workflow_sources(${target}): name at least one source file.")
  endif()
  if(NOT WF_ROOT)
    set(WF_ROOT "${PROJECT_SOURCE_DIR}")
  endif()
  if(NOT TARGET Workflow::wfc)
    message(FATAL_ERROR
      "target_workflow_sources: the Workflow::wfc compiler target is missing; use "
      "find_package(Workflow CONFIG REQUIRED) or add_subdirectory(<workflow-cpp>) first.")
  endif()

  set(generated_dir "${CMAKE_CURRENT_BINARY_DIR}/workflow/${target}")
  set(flags_file "${generated_dir}/compile_flags.rsp")
  # One flag per line; generator expressions expand at generation time with the target's real,
  # transitive include directories and definitions.
  set(includes "$<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>")
  set(definitions "$<TARGET_PROPERTY:${target},COMPILE_DEFINITIONS>")
  file(GENERATE OUTPUT "${flags_file}" CONTENT
    "-std=c++20\n$<$<BOOL:${includes}>:-I$<JOIN:${includes},\n-I>\n>$<$<BOOL:${definitions}>:-D$<JOIN:${definitions},\n-D>\n>")

  foreach(source IN LISTS WF_UNPARSED_ARGUMENTS)
    cmake_path(ABSOLUTE_PATH source BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE
               OUTPUT_VARIABLE input)
    if(NOT EXISTS "${input}")
      message(FATAL_ERROR
        "target_workflow_sources(${target}): source '${source}' does not exist (looked for "
        "'${input}').")
    endif()
    cmake_path(RELATIVE_PATH input BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}"
               OUTPUT_VARIABLE relative)
    string(REPLACE "../" "__/" relative "${relative}")
    set(output "${generated_dir}/${relative}")
    add_custom_command(
      OUTPUT "${output}"
      COMMAND Workflow::wfc --root "${WF_ROOT}" "${input}" -o "${output}"
              --manifest "${output}.manifest.json" --depfile "${output}.d"
              -- "@${flags_file}"
      DEPENDS "${input}" Workflow::wfc "${flags_file}"
      DEPFILE "${output}.d"
      COMMENT "wfc ${source}"
      VERBATIM)
    target_sources(${target} PRIVATE "${output}" "${input}")
    # The rewritten file lives in the build tree; `#include "x.hpp"` must still find the headers
    # next to the original.
    cmake_path(GET input PARENT_PATH input_dir)
    set_source_files_properties("${output}" TARGET_DIRECTORY ${target}
                                PROPERTIES COMPILE_OPTIONS "-iquote;${input_dir}")
    set_source_files_properties("${input}" TARGET_DIRECTORY ${target}
                                PROPERTIES HEADER_FILE_ONLY ON)
  endforeach()
  target_link_libraries(${target} PRIVATE Workflow::runtime)
endfunction()
