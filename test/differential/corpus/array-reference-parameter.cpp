// A `const int (&)[3]` parameter bound to the caller's array, and a `std::array` result.
#include "differential.hpp"

#include <array>
#include <string>

[[workflow::step]] int sum(const int (&values)[3]) {
  std::printf("sum(%d, %d, %d)\n", values[0], values[1], values[2]);
  return values[0] + values[1] + values[2];
}

[[workflow::step]] std::array<int, 3> reversed(const int (&values)[3]) {
  std::printf("reversed(%d, %d, %d)\n", values[0], values[1], values[2]);
  return {values[2], values[1], values[0]};
}

[[workflow::workflow]] std::string flow(int x) {
  int values[3] = {x, x + 1, x + 2};
  int total = sum(values);
  values[0] = 100;
  int changed = sum(values);
  auto back = reversed(values);
  differential::replay_point();
  return std::to_string(total) + " " + std::to_string(changed) + " " + std::to_string(back[0]) + "," +
         std::to_string(back[1]) + "," + std::to_string(back[2]);
}

DIFFERENTIAL_MAIN(flow, 7)
