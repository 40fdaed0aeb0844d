// A step named in an unevaluated operand (sizeof, decltype, noexcept) is not called, so the call
// stays as written; algorithms that share a name with a C function (std::remove, std::bind) are
// not mistaken for it.
// RUN: %wfc --root %S %s -o %t.cpp -- %flags
// RUN: FileCheck %s --input-file %t.cpp
// RUN: %gxx -fsyntax-only %t.cpp
// RUN: %clangxx -fsyntax-only %t.cpp
#include <workflow/workflow.hpp>
#include <algorithm>
#include <functional>
#include <vector>

[[workflow::step]] int twice(int x) noexcept;

int add(int a, int b) { return a + b; }

[[workflow::workflow]] int flow(int x) {
  static_assert(noexcept(twice(1)) && sizeof(twice(1)) == sizeof(int));
// CHECK: static_assert(noexcept(twice(1)) && sizeof(twice(1)) == sizeof(int));
  decltype(twice(1)) y = twice(x);
// CHECK: decltype(twice(1)) y = ::workflow::detail::step_call<&::twice>("step//./unevaluated-operands//twice")(x);
  std::vector<int> values = {1, 2, 3, y};
  values.erase(std::remove(values.begin(), values.end(), 2), values.end());
  auto plus_one = std::bind(add, 1, std::placeholders::_1);
  return plus_one(static_cast<int>(values.size()));
}
