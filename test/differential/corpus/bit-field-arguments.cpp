// Bit-field arguments, into by-value parameters and into a `const int&` parameter (which binds
// to a temporary holding the bit-field's value).
#include "differential.hpp"

#include <string>

struct Flags {
  unsigned level : 3;
  int delta : 5;
  bool on : 1;
};

[[workflow::step]] int widen(unsigned level, int delta, bool on) {
  std::printf("widen(%u, %d, %d)\n", level, delta, on ? 1 : 0);
  return static_cast<int>(level) * 100 + delta * (on ? 1 : -1);
}

[[workflow::step]] int by_const_ref(const int& value) {
  std::printf("by_const_ref(%d)\n", value);
  return value + 1;
}

[[workflow::workflow]] std::string flow(int seed) {
  Flags flags{};
  flags.level = static_cast<unsigned>(seed) & 7u;
  flags.delta = -seed;
  flags.on = true;
  int a = widen(flags.level, flags.delta, flags.on);
  int b = by_const_ref(flags.delta);
  flags.level = 9u & 7u;
  int c = by_const_ref(flags.level);
  differential::replay_point();
  return std::to_string(a) + " " + std::to_string(b) + " " + std::to_string(c);
}

DIFFERENTIAL_MAIN(flow, 5)
