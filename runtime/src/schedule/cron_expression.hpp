// A parsed cron expression: which wall-clock times it matches, with no time zone attached.
//
// Syntax (docs/schedules.md, "Schedule expressions"): 5 fields `minute hour day-of-month month
// day-of-week`, or 6 with a leading `second`; in each field `*`, numbers, `a-b`, `*/n`, `a-b/n`,
// `a/n` and lists of those; month names JAN-DEC and day names SUN-SAT in any case; 0 and 7 are
// both Sunday; the macros @yearly/@annually, @monthly, @weekly, @daily/@midnight, @hourly. The
// Quartz extensions L, W, # and ? are rejected with an error saying so.
//
// Day rule (Vixie cron): when both day fields are restricted a day matches if EITHER matches;
// a day field counts as unrestricted when it is written starting with `*` (so `*/2` too).
//
// Local times are std::chrono::local_seconds: a wall-clock reading, not an instant. Turning
// them into instants (DST gaps and overlaps) is zoned_cron.hpp's job.
#pragma once

#include <bitset>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace workflow::detail {

class CronExpression {
 public:
  /// Parses `text` (surrounding blanks ignored). Throws ScheduleSpecError naming the field and
  /// the problem.
  static CronExpression parse(std::string_view text);

  /// True when the wall-clock time `time` matches every field.
  bool matches(std::chrono::local_seconds time) const;

  /// The first matching wall-clock time in [from, last], or nullopt. Skips whole months and days
  /// that cannot match, so a match years away costs a few thousand steps at most.
  std::optional<std::chrono::local_seconds> next_match(std::chrono::local_seconds from,
                                                       std::chrono::local_seconds last) const;

  /// True when the hour field matches all 24 hours (`*`, `*/1`, `0-23`, ...): the expression
  /// describes a cadence through the day rather than times of day, which decides how it behaves
  /// across DST transitions (zoned_cron.hpp).
  bool fires_every_hour() const { return hours_.all(); }

  /// False for expressions no calendar date satisfies, such as `0 0 30 2 *`.
  bool can_ever_fire() const { return can_ever_fire_; }

  /// The expression as written (trimmed), e.g. `@daily` or `0 30 2 * * MON-FRI`.
  const std::string& text() const { return text_; }

 private:
  bool day_matches(std::chrono::year_month_day date, std::chrono::weekday weekday) const;
  /// The first matching time of day at or after `from` (seconds since midnight), or nullopt.
  std::optional<std::chrono::seconds> first_time_of_day_from(std::chrono::seconds from) const;
  bool compute_can_ever_fire() const;

  std::string text_;
  std::bitset<60> seconds_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_of_month_;  // bit 0 unused: days are 1-31
  std::bitset<13> months_;         // bit 0 unused: months are 1-12
  std::bitset<7> days_of_week_;    // 0 is Sunday; a 7 in the expression lands here too
  bool day_of_month_starred_ = false;
  bool day_of_week_starred_ = false;
  bool can_ever_fire_ = true;
};

}  // namespace workflow::detail
