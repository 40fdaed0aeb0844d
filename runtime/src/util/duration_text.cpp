// Durations as people write them (duration_text.hpp).
#include "util/duration_text.hpp"

#include <cctype>

namespace workflow::detail {

std::chrono::seconds parse_duration_text(std::string_view text) {
  auto fail = [&](const std::string& problem) -> void { throw DurationTextError("'" + std::string(text) + "' " + problem); };
  if (text.empty()) fail("is empty: give numbers with units, e.g. 30s, 5m, 1h30m, 2d");
  std::chrono::seconds total{0};
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t digits_start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i == digits_start) fail("must be numbers with units, e.g. 30s, 5m, 1h30m, 2d");
    if (i == text.size()) fail("has a number without a unit (s, m, h or d)");
    // Nine digits of days already pass the limit; more would overflow.
    if (i - digits_start > 9) fail("is longer than 100 years");
    const long long number = std::stoll(std::string(text.substr(digits_start, i - digits_start)));
    const char unit = static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
    ++i;
    switch (unit) {
      case 's': total += std::chrono::seconds(number); break;
      case 'm': total += std::chrono::minutes(number); break;
      case 'h': total += std::chrono::hours(number); break;
      case 'd': total += std::chrono::days(number); break;
      default: fail("has an unknown unit '" + std::string(1, text[i - 1]) + "' (use s, m, h or d)");
    }
    if (total > kLongestDuration) fail("is longer than 100 years");
  }
  return total;
}

std::string format_duration_text(std::chrono::seconds duration) {
  std::string text;
  const auto days = std::chrono::floor<std::chrono::days>(duration);
  const auto hours = std::chrono::floor<std::chrono::hours>(duration - days);
  const auto minutes = std::chrono::floor<std::chrono::minutes>(duration - days - hours);
  const auto rest = duration - days - hours - minutes;
  if (days.count()) text += std::to_string(days.count()) + "d";
  if (hours.count()) text += std::to_string(hours.count()) + "h";
  if (minutes.count()) text += std::to_string(minutes.count()) + "m";
  if (rest.count() || text.empty()) text += std::to_string(rest.count()) + "s";
  return text;
}

}  // namespace workflow::detail
