// workflow::patched and workflow::deprecate_patch are plain runtime calls: wfc checks them but
// leaves them as written, and the output compiles.
// RUN: %wfc --root %S %s -o %t.cpp -- %flags
// RUN: FileCheck %s --input-file %t.cpp
// RUN: %gxx -fsyntax-only %t.cpp
#include <workflow/workflow.hpp>
#include <string_view>
using namespace std::literals;
#define AUDIT_CHANGE "audit"

[[workflow::step]] int charge(int cents) { return cents; }
[[workflow::step]] int check_fraud(int cents) { return cents; }

[[workflow::workflow]] int order(int cents) {
  workflow::deprecate_patch("old-rounding");
// CHECK: {{^ *}}workflow::deprecate_patch("old-rounding");
  if (workflow::patched("fraud-check")) check_fraud(cents);
// CHECK: {{^ *}}if (workflow::patched("fraud-check")) ::workflow::detail::step_call<&::check_fraud>("step//./patch-calls//check_fraud")(cents);
  bool audited = workflow::patched(AUDIT_CHANGE);
// CHECK: {{^ *}}bool audited = workflow::patched(AUDIT_CHANGE);
  auto [a, b] = workflow::parallel([&] { return workflow::patched("split-fee"sv) ? charge(cents / 2) : 0; },
                                   [&] { return audited ? charge(cents / 2) : 0; });
// CHECK: workflow::patched("split-fee"sv) ? ::workflow::detail::step_call<&::charge>
  return a + b;
}

// Another workflow may use the same change IDs.
[[workflow::workflow]] int refund(int cents) {
  if (workflow::patched("fraud-check")) check_fraud(cents);
  return charge(-cents);
}
