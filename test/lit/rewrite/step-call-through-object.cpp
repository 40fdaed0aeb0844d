// A static member step named through an object (`m.fee(x)`, `p->fee(x)`) or a parenthesized
// callee (`(twice)(x)`, `(&twice)(x)`) is a direct call: journaled, never reported as a call
// through a pointer.
// RUN: %wfc --root %S %s -o %t.cpp -- %flags
// RUN: FileCheck %s --input-file %t.cpp
#include <workflow/workflow.hpp>

[[workflow::step]] int twice(int x);
struct Billing {
  [[workflow::step]] static int fee(int cents);
};

[[workflow::workflow]] int order(int cents) {
  Billing billing;
  Billing* pointer = &billing;
  int a = billing.fee(cents);
// CHECK: int a = {{.*}}::workflow::detail::step_call<&::Billing::fee>("step//./step-call-through-object//Billing::fee"){{.*}}(cents);
  int b = pointer->fee(cents);
// CHECK: int b = {{.*}}::workflow::detail::step_call<&::Billing::fee>("step//./step-call-through-object//Billing::fee"){{.*}}(cents);
  int c = (twice)(cents) + (&twice)(cents);
// CHECK: int c = (::workflow::detail::step_call<&::twice>("step//./step-call-through-object//twice"))(cents) + ({{&?}}::workflow::detail::step_call<&::twice>("step//./step-call-through-object//twice"))(cents);
  return a + b + c;
}
