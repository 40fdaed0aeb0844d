// A workflow calling a child workflow (journaled: a child run, started once), before and after
// step calls, with a default argument.
#include "differential.hpp"

#include <string>

[[workflow::step]] int square(int x) {
  std::printf("square(%d)\n", x);
  return x * x;
}

[[workflow::workflow]] std::string child(int x, std::string tag = "child") {
  int y = square(x);
  differential::replay_point();
  return tag + ":" + std::to_string(y);
}

[[workflow::workflow]] std::string parent(int x) {
  int a = square(x);
  std::string first = child(a);
  std::string second = child(x + 1, "second");
  int b = square(x + 2);
  differential::replay_point();
  return std::to_string(a) + " " + first + " " + second + " " + std::to_string(b);
}

DIFFERENTIAL_MAIN(parent, 2)
