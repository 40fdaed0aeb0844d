// Only the step and workflow calls written in a workflow body (its lambdas included) are
// journaled. One made in a function the body calls would run again (or start a new child run) on
// every replay: reported at the call, with the way back to the workflow body. The
// allow-nondeterminism comment does not silence it.
// RUN: %expect-exit 1 %wfc --root %S %s -o %t.cpp -- %flags 2>&1 | FileCheck %s --implicit-check-not=error:
#include <workflow/workflow.hpp>

[[workflow::step]] int charge(int cents);
[[workflow::workflow]] int refund(int cents);
struct Billing {
  [[workflow::step]] static int fee(int cents);
};

int charge_with_fee(int cents) { return charge(cents) + Billing::fee(cents); }
// CHECK: step-call-outside-workflow-body.cpp:[[@LINE-1]]:41: error: call to step 'charge' in 'charge_with_fee', called from workflow 'order', is not journaled: only the calls written in a workflow body are, so it would run again on every replay [step-call-outside-workflow-body]
// CHECK: note: hint: call the step from the workflow body, or make 'charge_with_fee' a {{\[\[}}workflow::step]] itself or a child {{\[\[}}workflow::workflow]]
// CHECK: step-call-outside-workflow-body.cpp:[[@LINE+11]]:11: note: 'charge_with_fee' called from workflow 'order' here
// CHECK: step-call-outside-workflow-body.cpp:[[@LINE-4]]:57: error: call to step 'Billing::fee' in 'charge_with_fee'
int settle(int cents) {
  auto undo = [&] { return refund(cents); };
// CHECK: step-call-outside-workflow-body.cpp:[[@LINE-1]]:28: error: call to workflow 'refund' in 'settle', called from workflow 'order', is not journaled: only the calls written in a workflow body are, so it would start a new run on every replay
// CHECK: note: hint: call the workflow from the workflow body
// CHECK: step-call-outside-workflow-body.cpp:[[@LINE+7]]:11: note: 'settle' called from workflow 'order' here
  return undo();
}

[[workflow::workflow]] int order(int cents) {
  int a = charge_with_fee(cents);
  // workflow: allow-nondeterminism
  int b = settle(cents);
  // Written in the body: journaled.
  auto inline_charge = [&] { return charge(cents); };
  return a + b + inline_charge() + charge(cents);
}

// Not reached from a workflow body: plain calls.
[[workflow::step]] int charge_twice(int cents) { return charge_with_fee(cents) + charge(cents); }
int ordinary(int cents) { return charge_with_fee(cents); }
