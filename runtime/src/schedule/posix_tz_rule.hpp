// The POSIX TZ rule at the end of a TZif file (RFC 8536, section 3.3): how a zone's clocks change
// after the last transition the file lists, e.g. `CET-1CEST,M3.5.0,M10.5.0/3`.
//
// Debian's tzdata lists transitions up to 2037 and leaves later years to this rule, which date/tz
// does not read with the system database; time_zone.cpp applies it past the last transition.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace workflow::detail {

/// One change of a zone's clocks: from `at` on, they show UTC + `offset`.
struct ClockChange {
  std::chrono::sys_seconds at;
  std::chrono::seconds offset;
};

class PosixTzRule {
 public:
  /// The rule a TZ string states; nothing when it is malformed, or names only standard time
  /// (then the last listed period already holds forever).
  static std::optional<PosixTzRule> parse(std::string_view text);
  /// The footer of the TZif file at `path`, parsed; nothing when there is none to apply.
  static std::optional<PosixTzRule> read_tzif_footer(const std::string& path);

  /// Both changes of each year from `first_year` to `last_year` (UTC years of the local dates),
  /// in time order.
  std::vector<ClockChange> changes(int first_year, int last_year) const;

 private:
  /// When in a year the clocks change: the date and the local time (on the clocks of before).
  struct DateRule {
    enum class Kind { month_week_day, julian_without_leap_day, zero_based_day } kind = Kind::month_week_day;
    int month = 0;    // 1-12
    int week = 0;     // 1-5, 5: the last
    int weekday = 0;  // 0: Sunday
    int day = 0;      // Jn: 1-365; n: 0-365
    std::chrono::seconds time{7200};
  };
  std::chrono::sys_seconds instant_in(int year, const DateRule& rule, std::chrono::seconds offset_before) const;
  static std::optional<DateRule> parse_date_rule(std::string_view& text);

  std::chrono::seconds standard_offset_{0};
  std::chrono::seconds daylight_offset_{0};
  DateRule daylight_start_;
  DateRule daylight_end_;
};

}  // namespace workflow::detail
