// Helpers of the schedule suites: times written as text, and fire times read back as text, so
// that expectations read like a calendar.
#pragma once

#include "schedule/cron_expression.hpp"
#include "schedule/schedule_spec.hpp"

#include <workflow/errors.hpp>

#include <date/tz.h>

#include <chrono>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace schedule_test {

/// "2024-03-31 02:30:00" as a wall-clock reading.
inline std::chrono::local_seconds local(std::string_view text) {
  std::istringstream in{std::string(text)};
  date::local_seconds parsed;
  in >> date::parse("%F %T", parsed);
  if (in.fail()) throw std::invalid_argument("bad local time in a test: " + std::string(text));
  return std::chrono::local_seconds{parsed.time_since_epoch()};
}

/// "2024-03-31 01:00:00" read as UTC.
inline std::chrono::system_clock::time_point utc(std::string_view text) {
  return std::chrono::system_clock::time_point{local(text).time_since_epoch()};
}

/// `time` in UTC, as "2024-03-31 01:00:00".
inline std::string utc_text(std::chrono::system_clock::time_point time) {
  return date::format("%F %T", std::chrono::floor<std::chrono::seconds>(time));
}

/// `time` on the clocks of `zone`, with the offset, as "2024-03-31 03:00:00 +0200", computed by
/// the date library directly (not through the code under test).
inline std::string zoned_text(std::chrono::system_clock::time_point time, std::string_view zone) {
  return date::format("%F %T %z", date::make_zoned(date::locate_zone(zone), std::chrono::floor<std::chrono::seconds>(time)));
}

/// The first `count` fire times of `spec` in `zone` at or after `from` (UTC), in the zone's time.
inline std::vector<std::string> fires(std::string_view spec, std::string_view zone, std::string_view from_utc,
                                      std::size_t count) {
  const auto spec_parsed = workflow::detail::ScheduleSpec::parse(spec, zone);
  std::vector<std::string> texts;
  for (auto time : spec_parsed.next_n(utc(from_utc) - std::chrono::seconds(1), count)) {
    texts.push_back(zoned_text(time, zone));
  }
  return texts;
}

/// The first `count` fire times of `spec` in `zone` at or after `from` (UTC), in UTC: for years
/// where date/tz's own reading of the zone cannot serve as the second opinion (after 2037).
inline std::vector<std::string> utc_fires(std::string_view spec, std::string_view zone, std::string_view from_utc,
                                          std::size_t count) {
  const auto spec_parsed = workflow::detail::ScheduleSpec::parse(spec, zone);
  std::vector<std::string> texts;
  for (auto time : spec_parsed.next_n(utc(from_utc) - std::chrono::seconds(1), count)) texts.push_back(utc_text(time));
  return texts;
}

/// The message of the ScheduleSpecError that parsing `spec` throws, or "<parsed>".
inline std::string spec_error(std::string_view spec, std::string_view zone = "UTC") {
  try {
    workflow::detail::ScheduleSpec::parse(spec, zone);
  } catch (const workflow::ScheduleSpecError& error) {
    return error.what();
  }
  return "<parsed>";
}

}  // namespace schedule_test
