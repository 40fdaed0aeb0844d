# WORKFLOW_SANITIZE: builds the runtime and everything that links it (tests, tools, examples,
# crash workers) with the sanitizers it lists, e.g. `address,undefined` or `thread`. The flags
# travel as usage requirements of the interface target workflow_sanitizers, which the runtime
# links PUBLIC in the build tree only: no global flags, and an installed package carries none.
# scripts/sanitizers.sh configures the trees CI runs this way (docs/testing-internals.md).
set(WORKFLOW_SANITIZE "" CACHE STRING
    "Sanitizers for the runtime and what links it (-fsanitize=<list>), e.g. address,undefined or thread")

add_library(workflow_sanitizers INTERFACE)
if(WORKFLOW_SANITIZE)
  if(NOT WORKFLOW_SANITIZE MATCHES "^[a-z,-]+$")
    message(FATAL_ERROR "WORKFLOW_SANITIZE='${WORKFLOW_SANITIZE}': give a comma-separated list of "
      "sanitizers as -fsanitize= takes it, e.g. address,undefined or thread")
  endif()
  # Frame pointers give the reports whole stacks; the reports need the debug info of
  # RelWithDebInfo, which scripts/sanitizers.sh selects.
  target_compile_options(workflow_sanitizers INTERFACE
    -fsanitize=${WORKFLOW_SANITIZE} -fno-omit-frame-pointer)
  target_link_options(workflow_sanitizers INTERFACE -fsanitize=${WORKFLOW_SANITIZE})
endif()
