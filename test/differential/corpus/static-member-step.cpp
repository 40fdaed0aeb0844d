// A static member step called through an object expression with a side effect
// (`make(log).s(x)`: make must run exactly once, as in the plain call), through a pointer
// (`p->s(x)`, `pointer(log)->s(x)`) and by its qualified name.
#include "differential.hpp"

#include <string>

struct Meter {
  [[workflow::step]] static int s(int x) {
    std::printf("Meter::s(%d)\n", x);
    return x + 100;
  }
};

Meter make(std::string& log) {
  log += "make;";
  return Meter{};
}

Meter* pointer(std::string& log, Meter& meter) {
  log += "pointer;";
  return &meter;
}

[[workflow::workflow]] std::string flow(int x) {
  std::string log;
  Meter meter;
  Meter* p = &meter;
  int a = make(log).s(x);
  int b = meter.s(x + 1);
  int c = p->s(x + 2);
  int d = pointer(log, meter)->s(x + 3);
  int e = Meter::s(x + 4);
  differential::replay_point();
  return log + " " + std::to_string(a) + " " + std::to_string(b) + " " + std::to_string(c) + " " +
         std::to_string(d) + " " + std::to_string(e);
}

DIFFERENTIAL_MAIN(flow, 1)
