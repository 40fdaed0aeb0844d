// A step returning void, called as a statement, in a comma expression and in a loop.
#include "differential.hpp"

#include <string>

[[workflow::step]] void note(const std::string& what, int n) { std::printf("note(%s, %d)\n", what.c_str(), n); }

[[workflow::workflow]] std::string flow(int n) {
  note("start", n);
  for (int i = 0; i < n; ++i) note("loop", i);
  int after = (note("comma", -1), 7);
  differential::replay_point();
  return "done " + std::to_string(after);
}

DIFFERENTIAL_MAIN(flow, 3)
