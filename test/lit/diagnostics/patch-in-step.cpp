// workflow::patched and workflow::deprecate_patch in a step mean nothing: a step is not replayed.
// RUN: not %wfc --root %S %s -o %t.cpp -- %flags 2>&1 | FileCheck %s --implicit-check-not=error:
#include <workflow/workflow.hpp>
#include <string>

[[workflow::step]] int charge(int cents, std::string change) {
  if (workflow::patched("fee")) cents += 1;
// CHECK: patch-in-step.cpp:[[@LINE-1]]:7: error: workflow::patched in step 'charge' means nothing: a step is not replayed (a replay takes its result from the journal), so no recorded run would take the old path in it [patch-in-step]
// CHECK: note: hint: branch in the workflow that calls the step: if (workflow::patched("<change ID>")) call a new step, else the old one
  auto inner = [] { workflow::deprecate_patch("old-fee"); };
// CHECK: patch-in-step.cpp:[[@LINE-1]]:21: error: workflow::deprecate_patch in step 'charge' means nothing
  inner();
  // One error per call: the change ID is not checked as well.
  if (workflow::patched(change)) cents += 2;
// CHECK: patch-in-step.cpp:[[@LINE-1]]:7: error: workflow::patched in step 'charge' means nothing
  return cents;
}

[[workflow::workflow]] int order(int cents) {
  if (workflow::patched("fee")) return charge(cents + 1, "");
  return charge(cents, "");
}
