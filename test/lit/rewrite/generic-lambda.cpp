// A step called in a generic lambda in a workflow body is journaled when every instantiation of
// the lambda calls that one step: the dependent call in the pattern is rewritten once (the
// instantiations are not rewritten again). Calls that may reach another function are reported
// (diagnostics/ambiguous-step-call-in-template.cpp).
// RUN: %wfc --root %S %s -o %t.cpp --manifest %t.json -- %flags
// RUN: FileCheck %s --input-file %t.cpp
#include <workflow/workflow.hpp>
#include <string>

[[workflow::step]] int twice(int x);
namespace shop {
[[workflow::step]] std::string label(std::string text);
}
struct Billing {
  [[workflow::step]] static int fee(int cents);
};

[[workflow::workflow]] int generic(int x) {
  auto dependent = [&](auto y) { return twice(y); };
// CHECK: auto dependent = [&](auto y) { return ::workflow::detail::step_call<&::twice>("step//./generic-lambda//twice")(y); };
  auto qualified = [&](auto y) { return shop::label(y).size(); };
// CHECK: auto qualified = [&](auto y) { return ::workflow::detail::step_call<&::shop::label>("step//./generic-lambda//shop::label")(y).size(); };
  auto fixed = [&](auto) { return Billing::fee(x); };
// CHECK: auto fixed = [&](auto) { return ::workflow::detail::step_call<&::Billing::fee>("step//./generic-lambda//Billing::fee")(x); };
  auto explicit_template = [&]<class T>(T y) { return twice(y + 1); };
// CHECK: auto explicit_template = [&]<class T>(T y) { return ::workflow::detail::step_call<&::twice>("step//./generic-lambda//twice")(y + 1); };
  auto nested = [&](auto y) { auto inner = [&](auto z) { return twice(z); }; return inner(y); };
// CHECK: auto nested = [&](auto y) { auto inner = [&](auto z) { return ::workflow::detail::step_call<&::twice>("step//./generic-lambda//twice")(z); }; return inner(y); };
  // Never instantiated, so never run: rewritten all the same.
  auto unused = [&](auto y) { return twice(y); };
// CHECK: auto unused = [&](auto y) { return ::workflow::detail::step_call<&::twice>("step//./generic-lambda//twice")(y); };
  (void)unused;
  return dependent(1) + dependent(short{2}) + static_cast<int>(qualified(std::string("a"))) + fixed(0) +
         explicit_template(3) + nested(4) + nested('c');
}
