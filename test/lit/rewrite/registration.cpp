// Every workflow and step defined in the file is registered at the end, each registration under
// a #line naming the definition, so a compile error there points at the user's declaration.
// Steps only declared here (defined elsewhere) are registered where they are defined.
// RUN: %wfc --root %S %s -o %t.cpp -- %flags
// RUN: FileCheck %s --input-file %t.cpp
// RUN: %gxx -fsyntax-only %t.cpp
// RUN: %clangxx -fsyntax-only %t.cpp
#include <workflow/workflow.hpp>

[[workflow::step]] int declared_elsewhere(int x);

namespace {
[[workflow::step]] int in_anonymous_namespace(int x) { return x; }
}

struct Billing {
  [[workflow::step]] static int refund(int cents) { return -cents; }
};

namespace shop::inner {
[[workflow::step]] int overloaded(int x) { return x; }
int overloaded(double x) { return static_cast<int>(x); }
[[workflow::workflow]] int run(int x) { return declared_elsewhere(x) + in_anonymous_namespace(x) + Billing::refund(x) + overloaded(x); }
}

// CHECK: {{^ *}}#line 13 "{{.*}}registration.cpp"
// CHECK-NEXT: {{^ *}}{{\[\[}}maybe_unused]] const bool wfc_registered_0 = ::workflow::detail::register_step<&::in_anonymous_namespace>("step//./registration//in_anonymous_namespace");
// CHECK-NEXT: {{^ *}}#line 17 "{{.*}}registration.cpp"
// CHECK-NEXT: {{^\[\[}}maybe_unused]] const bool wfc_registered_{{[0-9]+}} = ::workflow::detail::register_step<&::Billing::refund>("step//./registration//Billing::refund");
// CHECK-NEXT: {{^ *}}#line 21 "{{.*}}registration.cpp"
// CHECK-NEXT: {{^\[\[}}maybe_unused]] const bool wfc_registered_{{[0-9]+}} = ::workflow::detail::register_step<static_cast<int (*)(int)>(&::shop::inner::overloaded)>("step//./registration//shop::inner::overloaded");
// CHECK-NEXT: {{^ *}}#line 23 "{{.*}}registration.cpp"
// CHECK-NEXT: {{^\[\[}}maybe_unused]] const bool wfc_registered_{{[0-9]+}} = ::workflow::detail::register_workflow<&::shop::inner::run>("workflow//./registration//shop::inner::run");
// CHECK-NEXT: {{^ *}}}  // namespace
// CHECK-NOT: declared_elsewhere>(
