// Default arguments of several kinds, declared in the steps' namespace and used from a workflow
// in another one: enum values (scoped and unscoped), a constructor call `Money{5}`, and `= {}`.
#include "differential.hpp"

#include <string>
#include <vector>

namespace shop {
enum class Color { red, green, blue };
enum Size { kSmall, kMedium, kLarge };

struct Money {
  int cents = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Money, cents)

[[workflow::step]] std::string paint(Color color = Color::green, Size size = kLarge) {
  std::printf("paint(%d, %d)\n", static_cast<int>(color), static_cast<int>(size));
  return "color" + std::to_string(static_cast<int>(color)) + "/size" + std::to_string(static_cast<int>(size));
}

[[workflow::step]] int pay(Money money = Money{5}) {
  std::printf("pay(%d)\n", money.cents);
  return money.cents;
}

[[workflow::step]] int count(std::vector<int> values = {}, Money bonus = {}) {
  std::printf("count(%zu, %d)\n", values.size(), bonus.cents);
  return static_cast<int>(values.size()) + bonus.cents;
}
}  // namespace shop

namespace app {
[[workflow::workflow]] std::string flow(int cents) {
  std::string out = shop::paint() + " ";
  out += shop::paint(shop::Color::blue) + " ";
  out += std::to_string(shop::pay()) + " ";
  out += std::to_string(shop::pay(shop::Money{cents})) + " ";
  out += std::to_string(shop::count()) + " ";
  out += std::to_string(shop::count({1, 2, 3}));
  differential::replay_point();
  return out;
}
}  // namespace app

DIFFERENTIAL_MAIN(app::flow, 42)
