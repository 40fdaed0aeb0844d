// Every workflow body starts with workflow_entry, so a direct call from ordinary code throws an
// error pointing to workflow::start. The line structure is kept (the call is on the same line).
// RUN: %wfc --root %S %s -o %t.cpp -- %flags
// RUN: FileCheck %s --input-file %t.cpp
// RUN: %gxx -fsyntax-only %t.cpp
#include <workflow/workflow.hpp>

[[workflow::workflow]] int plain(int x) {
// CHECK: {{^\[\[}}workflow::workflow]] int plain(int x) { ::workflow::detail::workflow_entry("workflow//./workflow-entry//plain");
  return x;
}

[[workflow::workflow]] int with_try(int x) try {
// CHECK: {{^\[\[}}workflow::workflow]] int with_try(int x) try { ::workflow::detail::workflow_entry("workflow//./workflow-entry//with_try");
  return x;
} catch (const workflow::StepFailedError&) {
  return -1;
}
