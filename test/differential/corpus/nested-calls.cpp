// Step calls nested in each other and in expressions: `f(g(x))`, `f(g(f(x)))`, a step call as
// an operand. (Step calls in two operands of one operator are left out: their order is
// unspecified in C++.)
#include "differential.hpp"

#include <string>

[[workflow::step]] int f(int x) {
  std::printf("f(%d)\n", x);
  return x * 2;
}

[[workflow::step]] int g(int x) {
  std::printf("g(%d)\n", x);
  return x + 3;
}

[[workflow::step]] std::string h(const std::string& s) {
  std::printf("h(%s)\n", s.c_str());
  return "<" + s + ">";
}

[[workflow::workflow]] std::string flow(int x) {
  int a = f(g(x));
  int b = f(g(f(x)));
  int c = 1 + f(2) * 100;
  std::string d = h(h(std::to_string(f(x))) + "|");
  differential::replay_point();
  return std::to_string(a) + " " + std::to_string(b) + " " + std::to_string(c) + " " + d;
}

DIFFERENTIAL_MAIN(flow, 1)
