// Arguments with side effects: each is evaluated exactly once, as in the plain call. One
// side-effecting argument per call, so the order of evaluation is defined.
#include "differential.hpp"

#include <string>

[[workflow::step]] int add(int a, int b) {
  std::printf("add(%d, %d)\n", a, b);
  return a + b;
}

[[workflow::step]] std::string join(const std::string& a, const std::string& b, const std::string& c) {
  std::printf("join(%s, %s, %s)\n", a.c_str(), b.c_str(), c.c_str());
  return a + b + c;
}

[[workflow::workflow]] std::string flow(int start) {
  int n = start;
  std::string log;
  auto next = [&] {
    log += "next;";
    return ++n;
  };
  int a = add(next(), 10);
  int b = add(10, next());
  int c = add(n++, 0);
  int d = add(0, ++n);
  std::string e = join("[", std::to_string(next()), "]");
  std::string f = join(log, "-", std::to_string(n));
  differential::replay_point();
  return std::to_string(a) + " " + std::to_string(b) + " " + std::to_string(c) + " " + std::to_string(d) +
         " " + e + " " + f + " n=" + std::to_string(n);
}

DIFFERENTIAL_MAIN(flow, 0)
