// Braced-init-list and designated-initializer arguments: `t({1, x})`, `t({.a = 1, .b = x})`,
// and a braced list into a std::vector parameter.
#include "differential.hpp"

#include <string>
#include <vector>

struct Pair {
  int a = 0;
  int b = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Pair, a, b)

[[workflow::step]] int t(Pair p) {
  std::printf("t({%d, %d})\n", p.a, p.b);
  return p.a * 10 + p.b;
}

[[workflow::step]] int by_ref(const Pair& p) {
  std::printf("by_ref({%d, %d})\n", p.a, p.b);
  return p.a + p.b;
}

[[workflow::step]] int total(const std::vector<int>& values) {
  int sum = 0;
  for (int value : values) sum += value;
  std::printf("total(%zu values) = %d\n", values.size(), sum);
  return sum;
}

[[workflow::workflow]] std::string flow(int x) {
  int first = t({1, x});
  int second = t({.a = 1, .b = x + 1});
  int third = t({.b = x});
  int fourth = by_ref({.a = 2, .b = x});
  int fifth = total({x, x, 1});
  differential::replay_point();
  return std::to_string(first) + " " + std::to_string(second) + " " + std::to_string(third) + " " +
         std::to_string(fourth) + " " + std::to_string(fifth);
}

DIFFERENTIAL_MAIN(flow, 4)
