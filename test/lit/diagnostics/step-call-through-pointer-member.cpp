// A static member step taken as a value through an object is not journaled either.
// RUN: %expect-exit 1 %wfc --root %S %s -o %t.cpp -- %flags 2>&1 | FileCheck %s --implicit-check-not=error:
struct Billing {
  [[workflow::step]] static int fee(int cents);
};
[[workflow::workflow]] int order(int cents) {
  Billing billing;
  int (*pointer)(int) = billing.fee;
// CHECK: step-call-through-pointer-member.cpp:[[@LINE-1]]:33: error: step 'Billing::fee' is used as a value in workflow 'order'; a call through a function pointer or std::function is not journaled [step-call-through-pointer]
// CHECK: note: hint: call the step directly by name: Billing::fee(...)
  return pointer(cents) + billing.fee(cents);
}
