// A step call written inside a macro cannot be rewritten in place.
// RUN: not %wfc --root %S %s -o %t.cpp -- %flags 2>&1 | FileCheck %s
#define CHARGE_TWICE(x) (charge(x) + charge(x))
#define IDENTITY(x) x
[[workflow::step]] int charge(int cents);
[[workflow::workflow]] int order(int cents) {
  int a = CHARGE_TWICE(cents);
// CHECK: step-call-in-macro.cpp:[[@LINE-1]]:11: error: call to step 'charge' inside a macro in workflow 'order' cannot be journaled [step-call-in-macro]
// CHECK: note: hint: call it directly in the workflow body and pass its result to the macro
  int b = IDENTITY(charge(cents));
// CHECK: step-call-in-macro.cpp:[[@LINE-1]]:11: error: call to step 'charge' inside a macro
  return a + b;
}
