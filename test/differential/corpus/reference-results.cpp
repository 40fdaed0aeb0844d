// A step returning `const T&`, its result bound to `const auto&` and to a std::string_view (the
// referenced string must stay valid while the body uses it), and copied into a value.
#include "differential.hpp"

#include <map>
#include <string>
#include <string_view>

const std::map<int, std::string>& names() {
  static const std::map<int, std::string> table = {{1, "one"}, {2, "two"}, {3, "three"}};
  return table;
}

[[workflow::step]] const std::string& name_of(int n) {
  std::printf("name_of(%d)\n", n);
  return names().at(n);
}

[[workflow::workflow]] std::string flow(int n) {
  const auto& first = name_of(n);
  std::string_view second = name_of(n + 1);
  std::string third = name_of(1);
  std::string out = first + " " + std::string(second) + " " + third;
  out += " sizes " + std::to_string(first.size()) + "," + std::to_string(second.size());
  differential::replay_point();
  out += " after replay point " + first + " " + std::string(second);
  return out;
}

DIFFERENTIAL_MAIN(flow, 2)
