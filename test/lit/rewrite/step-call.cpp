// Step calls inside a workflow body become journaled dispatch calls: unqualified, qualified,
// nested in expressions, nested in each other, and with default arguments written out.
// RUN: %wfc --root %S %s -o %t.cpp -- %flags
// RUN: FileCheck %s --input-file %t.cpp
// RUN: %gxx -fsyntax-only %t.cpp
// RUN: %clangxx -fsyntax-only %t.cpp
#include <workflow/workflow.hpp>
#include <string>

namespace shop {
[[workflow::step]] std::string charge_card(const std::string& order, int cents = 100);
[[workflow::step]] std::string audit(const std::string& what);
[[workflow::step]] int count_items(int base);

[[workflow::workflow]] std::string process_order(std::string order) {
  std::string charge = charge_card(order, 4200);
// CHECK: {{^ *}}std::string charge = ::workflow::detail::step_call<&::shop::charge_card>("step//./step-call//shop::charge_card")(order, 4200);
  std::string with_default = shop::charge_card(order);
// CHECK: {{^ *}}std::string with_default = ::workflow::detail::step_call<&::shop::charge_card>("step//./step-call//shop::charge_card")(order, 100);
  std::string nested = audit(audit(charge) + "!");
// CHECK: {{^ *}}std::string nested = ::workflow::detail::step_call<&::shop::audit>("step//./step-call//shop::audit")(::workflow::detail::step_call<&::shop::audit>("step//./step-call//shop::audit")(charge) + "!");
  int total = 1 + count_items(2) * count_items( /* spaced */ 3 );
// CHECK: {{^ *}}int total = 1 + ::workflow::detail::step_call<&::shop::count_items>("step//./step-call//shop::count_items")(2) * ::workflow::detail::step_call<&::shop::count_items>("step//./step-call//shop::count_items")( /* spaced */ 3 );
  return nested + with_default + std::to_string(total);
}

std::string charge_card(const std::string& order, int cents) { return order + std::to_string(cents); }
std::string audit(const std::string& what) { return what; }
int count_items(int base) { return base; }
}  // namespace shop
