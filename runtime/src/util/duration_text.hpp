// Durations as people write them: `30s`, `5m`, `1h30m`, `2d` (numbers each followed by a unit,
// added up). Schedules' `@every` and the retention setting (WORKFLOW_RETENTION) read them.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>

namespace workflow::detail {

/// A duration text that does not parse; the message says why, naming the text.
class DurationTextError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// The longest duration accepted: 100 years.
inline constexpr std::chrono::seconds kLongestDuration = std::chrono::days(366) * 100;

/// Parses `text` (at least one number-unit pair; units s, m, h, d, either case); throws
/// DurationTextError for anything else or past kLongestDuration.
std::chrono::seconds parse_duration_text(std::string_view text);

/// The duration as parse_duration_text reads it back, largest units first: 5400 s is `1h30m`.
std::string format_duration_text(std::chrono::seconds duration);

}  // namespace workflow::detail
