// An explicit ID replaces the derived one everywhere: registration and calls.
// RUN: %wfc --root %S %s -o %t.cpp -- %flags
// RUN: FileCheck %s --input-file %t.cpp
#include <workflow/workflow.hpp>

[[workflow::step("charge-v1")]] int charge(int cents) { return cents; }
[[workflow::workflow("orders-v2")]] int order(int cents) { return charge(cents); }
// CHECK: {{^\[\[}}workflow::workflow("orders-v2")]] int order(int cents) { ::workflow::detail::workflow_entry("orders-v2"); return ::workflow::detail::step_call<&::charge>("charge-v1")(cents); }
// CHECK: {{^\[\[}}maybe_unused]] const bool wfc_registered_{{[0-9]+}} = ::workflow::detail::register_step<&::charge>("charge-v1");
// CHECK: {{^\[\[}}maybe_unused]] const bool wfc_registered_{{[0-9]+}} = ::workflow::detail::register_workflow<&::order>("orders-v2");
