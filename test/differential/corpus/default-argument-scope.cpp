// A default argument naming `kFee`, where the calling workflow's namespace has a `kFee` of its
// own: the default is the one the step's declaration names (fees::kFee), as in the plain call.
#include "differential.hpp"

#include <string>

namespace fees {
constexpr int kFee = 5;
constexpr int surcharge(int amount) { return amount / 10; }

[[workflow::step]] int charge(int amount, int fee = kFee, int extra = surcharge(kFee * 10)) {
  std::printf("charge(%d, %d, %d)\n", amount, fee, extra);
  return amount + fee + extra;
}
}  // namespace fees

namespace shop {
constexpr int kFee = 1000;
constexpr int surcharge(int) { return 2000; }

[[workflow::workflow]] std::string flow(int amount) {
  int a = fees::charge(amount);
  int b = fees::charge(amount, kFee);
  differential::replay_point();
  return std::to_string(a) + " " + std::to_string(b) + " local kFee " + std::to_string(kFee);
}
}  // namespace shop

DIFFERENTIAL_MAIN(shop::flow, 100)
