// Every way of writing a step call compiles after the rewrite and passes the arguments as the
// plain call would: the journaled call takes the step's parameter types exactly, so braced and
// designated initializers, bit-fields, arrays and rvalue references bind as before.
// RUN: %wfc --root %S %s -o %t.cpp -- %flags
// RUN: FileCheck %s --input-file %t.cpp
// RUN: %gxx -fsyntax-only %t.cpp
// RUN: %clangxx -fsyntax-only %t.cpp
#include <workflow/workflow.hpp>
#include <string>

struct Point {
  int x = 0;
  int y = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Point, x, y)

struct Meter {
  [[workflow::step]] static int read(int scale);
};
Meter make_meter();

struct Flags {
  unsigned ready : 1;
  unsigned count : 7;
};

[[workflow::step]] int twice(int x);
[[workflow::step]] int norm(Point p);
[[workflow::step]] int bits(unsigned count, const unsigned& ready);
[[workflow::step]] int sum(const int (&values)[3]);
[[workflow::step]] std::size_t take(std::string&& text);
[[workflow::step]] std::size_t length(const std::string& text);
[[workflow::step]] const std::string& label(int code);

[[workflow::workflow]] int calls(int x) {
  Flags flags{1, 5};
  int a = (twice)(x);
// CHECK: int a = (::workflow::detail::step_call<&::twice>("step//./call-forms//twice"))(x);
  int b = norm({1, x}) + norm({.x = x, .y = 2});
// CHECK: int b = ::workflow::detail::step_call<&::norm>("step//./call-forms//norm")({1, x}) + ::workflow::detail::step_call<&::norm>("step//./call-forms//norm")({.x = x, .y = 2});
  Meter meter;
  Meter* pointer = &meter;
  int c = meter.read(2) + pointer->read(3) + make_meter().read(4);
// CHECK: int c = (static_cast<void>(meter), ::workflow::detail::step_call<&::Meter::read>("step//./call-forms//Meter::read"))(2) + (static_cast<void>(pointer), ::workflow::detail::step_call<&::Meter::read>("step//./call-forms//Meter::read"))(3) + (static_cast<void>(make_meter()), ::workflow::detail::step_call<&::Meter::read>("step//./call-forms//Meter::read"))(4);
  int d = bits(flags.count, flags.ready);
// CHECK: int d = ::workflow::detail::step_call<&::bits>("step//./call-forms//bits")(flags.count, flags.ready);
  int values[3] = {1, 2, x};
  int e = sum(values);
// CHECK: int e = ::workflow::detail::step_call<&::sum>("step//./call-forms//sum")(values);
  std::string text = "abc";
  auto f = take(std::move(text)) + length(std::move(text)) + take(std::string("xy"));
// CHECK: auto f = ::workflow::detail::step_call<&::take>("step//./call-forms//take")(std::move(text)) + ::workflow::detail::step_call<&::length>("step//./call-forms//length")(std::move(text)) + ::workflow::detail::step_call<&::take>("step//./call-forms//take")(std::string("xy"));
  const std::string& name = label(a);
// CHECK: const std::string& name = ::workflow::detail::step_call<&::label>("step//./call-forms//label")(a);
  return a + b + c + d + e + static_cast<int>(f + name.size());
}
