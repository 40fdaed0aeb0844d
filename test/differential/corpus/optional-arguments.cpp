// std::optional as step arguments and results: a value, std::nullopt, and an int converting to
// std::optional<int>. Its JSON form comes from the runtime (<workflow/standard_types.hpp>).
#include "differential.hpp"

#include <optional>
#include <string>

[[workflow::step]] std::optional<int> half(std::optional<int> value) {
  std::printf("half(%s)\n", value ? std::to_string(*value).c_str() : "nullopt");
  if (!value || *value % 2 != 0) return std::nullopt;
  return *value / 2;
}

[[workflow::step]] std::string describe(const std::optional<std::string>& text) {
  std::printf("describe(%s)\n", text ? text->c_str() : "nullopt");
  return text.value_or("nothing");
}

std::string show(const std::optional<int>& value) { return value ? std::to_string(*value) : "none"; }

[[workflow::workflow]] std::string flow(int x) {
  std::string out = show(half(x)) + " ";
  out += show(half(x + 1)) + " ";
  out += show(half(std::nullopt)) + " ";
  out += show(half(std::optional<int>(x * 2))) + " ";
  out += describe(std::string("text")) + " ";
  out += describe(std::nullopt);
  differential::replay_point();
  return out;
}

DIFFERENTIAL_MAIN(flow, 6)
