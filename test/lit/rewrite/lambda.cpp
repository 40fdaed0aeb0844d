// Step calls inside lambdas in a workflow body are journaled too.
// RUN: %wfc --root %S %s -o %t.cpp -- %flags
// RUN: FileCheck %s --input-file %t.cpp
// RUN: %gxx -fsyntax-only %t.cpp
#include <workflow/workflow.hpp>
#include <vector>

[[workflow::step]] int double_it(int x) { return 2 * x; }

[[workflow::workflow]] int sum_doubled(std::vector<int> values) {
  int sum = 0;
  auto add = [&](int v) { sum += double_it(v); };
// CHECK: {{^ *}}auto add = [&](int v) { sum += ::workflow::detail::step_call<&::double_it>("step//./lambda//double_it")(v); };
  for (int v : values) add(v);
  return sum;
}
