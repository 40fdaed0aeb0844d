// A step named through parentheses: `(twice)(x)`, `((twice))(x)` and `(math::twice)(x)`.
#include "differential.hpp"

#include <string>

namespace math {
[[workflow::step]] int twice(int x) {
  std::printf("twice(%d)\n", x);
  return 2 * x;
}
}  // namespace math

using math::twice;

[[workflow::workflow]] std::string flow(int x) {
  int a = (twice)(x);
  int b = ((twice))(a);
  int c = (math::twice)(b + 1);
  differential::replay_point();
  return std::to_string(a) + " " + std::to_string(b) + " " + std::to_string(c);
}

DIFFERENTIAL_MAIN(flow, 3)
