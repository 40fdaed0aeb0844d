// A step called through a pointer or std::function inside a workflow is not journaled.
// RUN: not %wfc --root %S %s -o %t.cpp -- %flags 2>&1 | FileCheck %s
#include <functional>
[[workflow::step]] int charge(int cents);
[[workflow::workflow]] int order(int cents) {
  int (*pointer)(int) = &charge;
// CHECK: step-call-through-pointer.cpp:[[@LINE-1]]:26: error: step 'charge' is used as a value in workflow 'order'; a call through a function pointer or std::function is not journaled [step-call-through-pointer]
// CHECK: note: hint: call the step directly by name: charge(...)
  std::function<int(int)> function = charge;
// CHECK: step-call-through-pointer.cpp:[[@LINE-1]]:38: error: step 'charge' is used as a value
  return pointer(cents) + function(cents) + charge(cents);
// CHECK-NOT: error:
}
