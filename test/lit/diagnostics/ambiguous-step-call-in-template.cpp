// A step call in a generic lambda is looked up only when the lambda is instantiated. It is
// journaled when every instantiation calls the one step the name finds (rewrite/generic-lambda.cpp);
// otherwise the pattern cannot be rewritten for all of them and the call is reported.
// RUN: %expect-exit 1 %wfc --root %S %s -o %t.cpp -- %flags 2>&1 | FileCheck %s --implicit-check-not=error:
#include <workflow/workflow.hpp>
#include <string>

[[workflow::step]] int twice(int x);
namespace other {
struct Tag {};
int twice(Tag);
}  // namespace other
[[workflow::step]] int send(int x);
[[workflow::step("send-text")]] int send(std::string x);
int scale(long x);
[[workflow::step]] int scale(int x);
struct Billing {
  [[workflow::step]] static int fee(int cents);
};

[[workflow::workflow]] int flow(int x) {
  // Argument-dependent lookup finds other::twice for a Tag.
  auto by_adl = [&](auto y) { return twice(y); };
// CHECK: ambiguous-step-call-in-template.cpp:[[@LINE-1]]:38: error: call in a generic lambda in workflow 'flow' may call step 'twice' or 'other::twice', depending on the argument types; it is journaled only when every instantiation calls the same step [ambiguous-step-call-in-template]
// CHECK: note: hint: convert the arguments to the step's parameter types (static_cast), qualify the name (::twice(...)) so argument-dependent lookup finds no other function, or call it from a non-generic lambda
  // Two steps overloaded.
  auto either = [&](auto y) { return send(y); };
// CHECK: ambiguous-step-call-in-template.cpp:[[@LINE-1]]:38: error: call in a generic lambda in workflow 'flow' may call step 'send' (int (std::string)) or step 'send' (int (int))
  // A step and a plain function overloaded: scale(2L) is not the step.
  auto mixed = [&](auto y) { return scale(y); };
// CHECK: ambiguous-step-call-in-template.cpp:[[@LINE-1]]:37: error: call in a generic lambda in workflow 'flow' may call step 'scale' (int (int)) or 'scale' (int (long))
  // Named through a dependent object: resolved only in the instantiation.
  auto through_object = [&](auto billing) { return billing.fee(x); };
// CHECK: ambiguous-step-call-in-template.cpp:[[@LINE-1]]:52: error: call to step 'Billing::fee' in a generic lambda in workflow 'flow' is resolved only when the lambda is instantiated and cannot be journaled [ambiguous-step-call-in-template]
// CHECK: note: hint: call it by its qualified name (::Billing::fee(...)) or from a non-generic lambda
  return by_adl(1) + by_adl(other::Tag{}) + either(1) + either(std::string("a")) + mixed(1) + mixed(2L) +
         through_object(Billing{});
}
