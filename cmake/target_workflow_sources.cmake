# target_workflow_sources(<target> [ROOT <dir>] <source>...)
#
# Runs wfc on each source as a build step and compiles the rewritten file into <target> instead
# of the original. The original stays in the target (not compiled) so IDEs still show it.
#  - the compiler is the Workflow::wfc target: outputs are rebuilt when wfc changes;
#  - wfc parses the file with the flags of the target's real compile (the response file below);
#  - ROOT (default: the calling project's PROJECT_SOURCE_DIR) is the root stable IDs are relative to;
#  - wfc writes a dependency file, so editing an included header reruns it (Ninja and Makefiles);
#  - generated files go under <target's binary dir>/workflow/<target>/ and are compiled with
#    the original's directory on the quote-include path;
# The target is linked with Workflow::runtime.
#
# The response file (docs/compiler.md, "Build integration"). wfc expands `@compile_flags.rsp`
# with GNU quoting. The flags exist only at generation time, and generator expressions cannot
# quote, so they take two steps:
#  1. at the end of the calling directory, file(GENERATE) writes compile_flags.cmake: the
#     target's definitions, include directories, SYSTEM directories, compile options and
#     language standard, and the directory's CMAKE_CXX_FLAGS, each as a bracket argument;
#  2. a build step runs this file as a script (`cmake -P`), which writes compile_flags.rsp the
#     way CMake writes the compile line, every argument quoted.
# The standard is the highest of CXX_STANDARD and the cxx_std_NN compile features (the target's
# and its dependencies'), as CMake picks it; a target that asks for less than C++20 is a
# configure error.

# The functions keep these policies whatever the including project's are (they also run as a
# script, where no project sets any).
cmake_policy(PUSH)
cmake_policy(VERSION 3.25)

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
  # One response file per target and calling directory, however many calls name the target.
  get_property(response_files TARGET ${target} PROPERTY _workflow_response_files)
  if(NOT flags_file IN_LIST response_files)
    set_property(TARGET ${target} APPEND PROPERTY _workflow_response_files "${flags_file}")
    _workflow_add_response_file(${target} "${flags_file}")
  endif()

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

# The runtime needs C++20. CMake would quietly raise a CXX_STANDARD of 17 to the runtime's
# cxx_std_20, so say it instead: the target asked for something else. Checked at the end of the
# directory, when the property has its final value.
function(_workflow_check_standard target)
  get_target_property(standard ${target} CXX_STANDARD)
  if(standard MATCHES "^(98|11|14|17)$")
    message(FATAL_ERROR
      "target_workflow_sources(${target}): '${target}' asks for C++${standard} (its "
      "CXX_STANDARD, which CMAKE_CXX_STANDARD sets when the target is created), but workflow "
      "code needs C++20 or newer. Set CXX_STANDARD 20 or higher on '${target}', e.g. "
      "set_target_properties(${target} PROPERTIES CXX_STANDARD 20).")
  endif()
endfunction()

# Step 2 as a build step; step 1 waits for the end of the directory, when the target's
# properties and links are complete.
function(_workflow_add_response_file target response_file)
  cmake_path(REPLACE_EXTENSION response_file ".cmake" OUTPUT_VARIABLE flags_script)
  add_custom_command(
    OUTPUT "${response_file}"
    COMMAND "${CMAKE_COMMAND}" "-DWORKFLOW_FLAGS=${flags_script}"
            "-DWORKFLOW_RESPONSE_FILE=${response_file}" -P "${CMAKE_CURRENT_FUNCTION_LIST_FILE}"
    DEPENDS "${flags_script}" "${CMAKE_CURRENT_FUNCTION_LIST_FILE}"
    COMMENT "Writing the compile flags of ${target} for wfc"
    VERBATIM)
  cmake_language(EVAL CODE
    "cmake_language(DEFER CALL _workflow_generate_flags [==[${target}]==] [==[${flags_script}]==])")
endfunction()

# Step 1: compile_flags.cmake, with generator expressions for everything CMake knows only at
# generation time. Each variable holds one item per line.
function(_workflow_generate_flags target flags_script)
  _workflow_check_standard(${target})
  set(t "${target}")
  get_target_property(source_dir ${t} SOURCE_DIR)
  get_target_property(binary_dir ${t} BINARY_DIR)

  set(requested "$<TARGET_PROPERTY:${t},CXX_STANDARD>")
  set(features "$<TARGET_PROPERTY:${t},COMPILE_FEATURES>")
  set(standard 20)  # the floor: Workflow::runtime's cxx_std_20
  foreach(version IN ITEMS 23 26)
    set(standard "$<IF:$<OR:$<STREQUAL:${requested},${version}>,$<IN_LIST:cxx_std_${version},${features}>>,${version},${standard}>")
  endforeach()
  # CXX_EXTENSIONS unset means the compiler's default (on for GCC and Clang).
  set(default_extensions ON)
  if(DEFINED CMAKE_CXX_EXTENSIONS_DEFAULT)
    set(default_extensions "${CMAKE_CXX_EXTENSIONS_DEFAULT}")
  endif()
  set(extensions "$<TARGET_PROPERTY:${t},CXX_EXTENSIONS>")
  set(dialect "$<IF:$<BOOL:$<IF:$<STREQUAL:${extensions},>,${default_extensions},${extensions}>>,gnu++,c++>")

  # What CMake adds to the compile line beyond the target's properties.
  set(export_definition "")
  get_target_property(type ${t} TYPE)
  if(type MATCHES "^(SHARED|MODULE)_LIBRARY$")
    get_target_property(export_definition ${t} DEFINE_SYMBOL)
    if(NOT export_definition)
      string(MAKE_C_IDENTIFIER "${t}_EXPORTS" export_definition)
    endif()
  endif()
  set(current_directories "")
  get_directory_property(include_current DIRECTORY "${source_dir}" DEFINITION CMAKE_INCLUDE_CURRENT_DIR)
  if(include_current)
    set(current_directories "${binary_dir}\n${source_dir}")
  endif()
  get_directory_property(language_flags DIRECTORY "${source_dir}" DEFINITION CMAKE_CXX_FLAGS)
  get_property(multi_config GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
  get_directory_property(build_type DIRECTORY "${source_dir}" DEFINITION CMAKE_BUILD_TYPE)
  if(NOT multi_config AND build_type)
    string(TOUPPER "${build_type}" build_type)
    get_directory_property(config_flags DIRECTORY "${source_dir}" DEFINITION CMAKE_CXX_FLAGS_${build_type})
    string(APPEND language_flags " ${config_flags}")
  endif()
  separate_arguments(language_flags UNIX_COMMAND "${language_flags}")
  list(JOIN language_flags "\n" language_flags)
  list(JOIN CMAKE_CXX_IMPLICIT_INCLUDE_DIRECTORIES "\n" implicit_directories)

  # SYSTEM directories, as CMake decides them: INTERFACE_SYSTEM_INCLUDE_DIRECTORIES of everything
  # linked, and INTERFACE_INCLUDE_DIRECTORIES of SYSTEM targets (imported ones by default). The
  # target's own INTERFACE_SYSTEM_INCLUDE_DIRECTORIES stands in for `SYSTEM PUBLIC`; CMake does
  # not show a `SYSTEM PRIVATE` mark to a project.
  get_target_property(own_system ${t} INTERFACE_SYSTEM_INCLUDE_DIRECTORIES)
  set(system_directories "")
  _workflow_append_directories(system_directories "${own_system}")
  get_target_property(no_system_from_imported ${t} NO_SYSTEM_FROM_IMPORTED)
  _workflow_link_closure(${t} dependencies)
  foreach(dependency IN LISTS dependencies)
    get_target_property(directories ${dependency} INTERFACE_SYSTEM_INCLUDE_DIRECTORIES)
    _workflow_append_directories(system_directories "${directories}")
    get_target_property(imported ${dependency} IMPORTED)
    get_property(system_set TARGET ${dependency} PROPERTY SYSTEM SET)
    get_target_property(system ${dependency} SYSTEM)
    if(NOT system_set)
      set(system ${imported})
    endif()
    get_target_property(imported_no_system ${dependency} IMPORTED_NO_SYSTEM)
    if(system AND NOT (imported AND (no_system_from_imported OR imported_no_system)))
      get_target_property(directories ${dependency} INTERFACE_INCLUDE_DIRECTORIES)
      _workflow_append_directories(system_directories "${directories}")
    endif()
  endforeach()

  foreach(literal IN ITEMS export_definition current_directories language_flags implicit_directories)
    # A literal `$<` would start a generator expression.
    string(REPLACE "$<" "$<1:$><" ${literal} "${${literal}}")
  endforeach()
  set(open "[=======[")
  set(close "]=======]")
  # CONTENT right after OUTPUT: CMake 3.25 runs out of memory when TARGET or CONDITION come first.
  # The condition picks the C++ value of $<COMPILE_LANGUAGE:...> in the target's properties.
  file(GENERATE OUTPUT "${flags_script}" CONTENT
"# The compile flags of target ${t} for wfc, one per line; written by target_workflow_sources().
set(workflow_definitions ${open}$<JOIN:$<TARGET_PROPERTY:${t},COMPILE_DEFINITIONS>,\n>
${export_definition}${close})
set(workflow_include_directories ${open}${current_directories}
$<JOIN:$<TARGET_PROPERTY:${t},INCLUDE_DIRECTORIES>,\n>${close})
set(workflow_system_directories ${open}${system_directories}${close})
set(workflow_implicit_directories ${open}${implicit_directories}${close})
set(workflow_language_flags ${open}${language_flags}${close})
set(workflow_standard ${open}${dialect}${standard}${close})
set(workflow_options ${open}$<JOIN:$<TARGET_PROPERTY:${t},COMPILE_OPTIONS>,\n>${close})
" TARGET ${t} CONDITION "$<COMPILE_LANGUAGE:CXX>")
endfunction()

# Appends a directory property's value as written (generator expressions and all) to the text
# in <text_var>: file(GENERATE) evaluates it, step 2 splits it at `;`.
function(_workflow_append_directories text_var value)
  if(value)
    set(${text_var} "${${text_var}}\n${value}" PARENT_SCOPE)
  endif()
endfunction()

# The targets whose usage requirements reach <target>: its links, and theirs transitively.
# $<LINK_ONLY:...> links carry none; links behind other generator expressions are not followed.
function(_workflow_link_closure target out_var)
  get_property(pending TARGET ${target} PROPERTY LINK_LIBRARIES)
  set(closure "")
  while(NOT pending STREQUAL "")
    list(POP_FRONT pending item)
    if(item MATCHES "^\\$<BUILD_INTERFACE:([^$]*)>$")
      set(item "${CMAKE_MATCH_1}")
    endif()
    if(item MATCHES "^(\\$<|::@)" OR NOT TARGET "${item}")
      continue()
    endif()
    get_target_property(aliased "${item}" ALIASED_TARGET)
    if(aliased)
      set(item "${aliased}")
    endif()
    if(item STREQUAL target OR item IN_LIST closure)
      continue()
    endif()
    list(APPEND closure "${item}")
    get_property(interface TARGET "${item}" PROPERTY INTERFACE_LINK_LIBRARIES)
    list(APPEND pending ${interface})
  endwhile()
  set(${out_var} "${closure}" PARENT_SCOPE)
endfunction()

# Step 2 (script mode): compile_flags.cmake to compile_flags.rsp, in the order of CMake's compile
# line: definitions, include directories, CMAKE_CXX_FLAGS[_<CONFIG>], the target's compile
# options, and the standard last (so it wins over a -std= among the options, as in CMake).
# Items are walked line by line, never as CMake lists, so `;`, `[` and `\` in a value need no care.
function(_workflow_write_response_file flags_script response_file)
  include("${flags_script}")
  set(arguments "")

  # CMake sorts and de-duplicates definitions, and drops (with a warning) function-like macros
  # and values containing `#`.
  _workflow_sorted_lines(workflow_definitions)
  while(NOT workflow_definitions STREQUAL "")
    _workflow_pop_line(workflow_definitions definition)
    if(NOT definition MATCHES "^[^=]*\\(|#")
      _workflow_append_argument(arguments "-D${definition}")
    endif()
  endwhile()

  # The compiler's implicit directories are left out (as -isystem they would break
  # #include_next in the standard library); SYSTEM ones come after the others, with -isystem.
  set(implicit "")
  while(NOT workflow_implicit_directories STREQUAL "")
    _workflow_pop_line(workflow_implicit_directories directory)
    _workflow_normalized_directory(directory)
    string(APPEND implicit "\n${directory}")
  endwhile()
  set(system "")
  string(REPLACE ";" "\n" workflow_system_directories "${workflow_system_directories}")
  while(NOT workflow_system_directories STREQUAL "")
    _workflow_pop_line(workflow_system_directories directory)
    _workflow_normalized_directory(directory)
    string(APPEND system "\n${directory}")
  endwhile()
  set(seen "${implicit}\n")
  set(system_arguments "")
  while(NOT workflow_include_directories STREQUAL "")
    _workflow_pop_line(workflow_include_directories directory)
    _workflow_normalized_directory(directory)
    string(FIND "${seen}" "\n${directory}\n" known)
    if(directory STREQUAL "" OR known GREATER -1)
      continue()
    endif()
    string(APPEND seen "${directory}\n")
    string(FIND "${system}\n" "\n${directory}\n" is_system)
    if(is_system GREATER -1)
      _workflow_quote(quoted "${directory}")
      string(APPEND system_arguments "\"-isystem\" ${quoted}\n")
    else()
      _workflow_append_argument(arguments "-I${directory}")
    endif()
  endwhile()
  string(APPEND arguments "${system_arguments}")

  while(NOT workflow_language_flags STREQUAL "")
    _workflow_pop_line(workflow_language_flags flag)
    if(NOT flag STREQUAL "")
      _workflow_append_argument(arguments "${flag}")
    endif()
  endwhile()

  # Options are de-duplicated as written; `SHELL:` groups are split as a shell would.
  set(seen "\n")
  while(NOT workflow_options STREQUAL "")
    _workflow_pop_line(workflow_options option)
    string(FIND "${seen}" "\n${option}\n" known)
    if(option STREQUAL "" OR known GREATER -1)
      continue()
    endif()
    string(APPEND seen "${option}\n")
    if(option MATCHES "^SHELL:(.*)$")
      separate_arguments(words UNIX_COMMAND "${CMAKE_MATCH_1}")
      foreach(word IN LISTS words)
        _workflow_append_argument(arguments "${word}")
      endforeach()
    else()
      _workflow_append_argument(arguments "${option}")
    endif()
  endwhile()
  _workflow_append_argument(arguments "-std=${workflow_standard}")
  file(WRITE "${response_file}" "${arguments}")
endfunction()

# Removes the first line of the text in <text_var> and stores it in <line_var>.
macro(_workflow_pop_line text_var line_var)
  string(FIND "${${text_var}}" "\n" _workflow_at)
  if(_workflow_at EQUAL -1)
    set(${line_var} "${${text_var}}")
    set(${text_var} "")
  else()
    string(SUBSTRING "${${text_var}}" 0 ${_workflow_at} ${line_var})
    math(EXPR _workflow_at "${_workflow_at} + 1")
    string(SUBSTRING "${${text_var}}" ${_workflow_at} -1 ${text_var})
  endif()
endmacro()

# Sorts the lines of the text in <text_var> (byte order, as CMake's std::set of definitions),
# dropping empty and repeated ones.
function(_workflow_sorted_lines text_var)
  set(text "${${text_var}}")
  set(count 0)
  set(seen "\n")
  while(NOT text STREQUAL "")
    _workflow_pop_line(text line)
    string(FIND "${seen}" "\n${line}\n" known)
    if(line STREQUAL "" OR known GREATER -1)
      continue()
    endif()
    string(APPEND seen "${line}\n")
    set(at ${count})
    while(at GREATER 0)
      math(EXPR before "${at} - 1")
      if(item_${before} STRLESS line)
        break()
      endif()
      set(item_${at} "${item_${before}}")
      set(at ${before})
    endwhile()
    set(item_${at} "${line}")
    math(EXPR count "${count} + 1")
  endwhile()
  set(sorted "")
  set(at 0)
  while(at LESS count)
    string(APPEND sorted "${item_${at}}\n")
    math(EXPR at "${at} + 1")
  endwhile()
  set(${text_var} "${sorted}" PARENT_SCOPE)
endfunction()

function(_workflow_normalized_directory directory_var)
  set(directory "${${directory_var}}")
  if(NOT directory STREQUAL "")
    cmake_path(SET directory NORMALIZE "${directory}")
    string(REGEX REPLACE "(.)/$" "\\1" directory "${directory}")
  endif()
  set(${directory_var} "${directory}" PARENT_SCOPE)
endfunction()

# GNU quoting, as llvm::cl::TokenizeGNUCommandLine reads it: inside double quotes a backslash
# escapes the next character, so only `\` and `"` need one.
function(_workflow_quote out_var argument)
  string(REPLACE "\\" "\\\\" argument "${argument}")
  string(REPLACE "\"" "\\\"" argument "${argument}")
  set(${out_var} "\"${argument}\"" PARENT_SCOPE)
endfunction()

function(_workflow_append_argument text_var argument)
  _workflow_quote(quoted "${argument}")
  set(${text_var} "${${text_var}}${quoted}\n" PARENT_SCOPE)
endfunction()

cmake_policy(POP)

if(CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  _workflow_write_response_file("${WORKFLOW_FLAGS}" "${WORKFLOW_RESPONSE_FILE}")
endif()
