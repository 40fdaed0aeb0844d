// Steps in namespaces; ordinary functions with the same name as a step, in another namespace and
// overloaded; a step overloaded by an ordinary function in its own namespace.
#include "differential.hpp"

#include <string>

namespace billing {
[[workflow::step]] int fee(int amount) {
  std::printf("billing::fee(%d)\n", amount);
  return amount / 10;
}
// Not a step: an overload of the step's name in the step's own namespace.
inline int fee(double amount) { return static_cast<int>(amount * 2); }

namespace inner {
[[workflow::step]] std::string fee(const std::string& what) {
  std::printf("billing::inner::fee(%s)\n", what.c_str());
  return what + "-fee";
}
}  // namespace inner
}  // namespace billing

namespace shop {
// Not steps: the same name as billing::fee, overloaded.
inline int fee(int amount) { return amount + 1; }
inline int fee(long amount) { return static_cast<int>(amount) + 2; }

[[workflow::workflow]] std::string flow(int amount) {
  std::string out;
  out += std::to_string(fee(amount)) + " ";               // shop::fee(int), plain
  out += std::to_string(fee(static_cast<long>(amount))) + " ";  // shop::fee(long), plain
  out += std::to_string(billing::fee(amount)) + " ";      // the step
  out += std::to_string(billing::fee(2.5)) + " ";         // billing::fee(double), plain
  out += billing::inner::fee("x") + " ";                  // the other step
  {
    using billing::inner::fee;
    out += fee(std::string("y"));                          // the step, through a using-declaration
  }
  differential::replay_point();
  return out;
}
}  // namespace shop

DIFFERENTIAL_MAIN(shop::flow, 50)
