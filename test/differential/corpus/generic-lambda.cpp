// A step called from generic lambdas inside a workflow body (with an argument that depends on the
// lambda's `auto` parameter, resolved only when the lambda is instantiated, and with one that
// does not), and from an ordinary lambda. Each step body prints when it runs: journaled, a call
// made before the replay point runs once, not again when the body replays.
#include "differential.hpp"

#include <string>

[[workflow::step]] int bump(int x) {
  std::printf("bump(%d)\n", x);
  return x + 1;
}

[[workflow::workflow]] std::string flow(int x) {
  auto dependent = [](auto value) { return bump(value); };
  auto generic = [](auto value) { return bump(static_cast<int>(value)); };
  auto plain = [&](int value) { return bump(value * 10); };
  int a = dependent(x);
  int b = dependent(static_cast<short>(x + 1));
  int c = generic(static_cast<long>(x) + 2);
  int d = plain(x);
  differential::replay_point();
  return std::to_string(a) + " " + std::to_string(b) + " " + std::to_string(c) + " " + std::to_string(d);
}

DIFFERENTIAL_MAIN(flow, 2)
