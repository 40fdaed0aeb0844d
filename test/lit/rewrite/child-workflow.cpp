// A workflow called inside another workflow's body becomes a child run: workflow_call, journaled
// like a step call (a replay finds the same child). Called from ordinary code it stays a plain
// call (which throws NotInWorkflowError at run time, pointing to workflow::start).
// RUN: %wfc --root %S %s -o %t.cpp -- %flags
// RUN: FileCheck %s --input-file %t.cpp
// RUN: %gxx -fsyntax-only %t.cpp
// RUN: %clangxx -fsyntax-only %t.cpp
#include <workflow/workflow.hpp>
#include <string>

namespace billing {
[[workflow::workflow]] int invoice(std::string customer, int cents = 100);
}

[[workflow::workflow]] int month_end(std::string customer) {
  int total = billing::invoice(customer, 4200) + billing::invoice(customer);
// CHECK: {{^ *}}int total = ::workflow::detail::workflow_call<&::billing::invoice>("workflow//./child-workflow//billing::invoice")(customer, 4200) + ::workflow::detail::workflow_call<&::billing::invoice>("workflow//./child-workflow//billing::invoice")(customer, 100);
  return total;
}

int ordinary() { return billing::invoice("x"); }
// CHECK: {{^}}int ordinary() { return billing::invoice("x"); }
