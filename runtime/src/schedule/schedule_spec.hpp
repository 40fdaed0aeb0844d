// A schedule's time arithmetic: a cron expression in a time zone, or a fixed interval, behind
// one interface for the scheduler.
//
// Spec strings (docs/schedules.md): a cron expression (cron_expression.hpp) or `@every <interval>`
// with an interval such as `30s`, `5m`, `1h30m`, `2d`. Intervals are elapsed time counted from
// the Unix epoch, so every process computes the same ticks without any stored anchor; the time
// zone does not move them.
#pragma once

#include "schedule/cron_expression.hpp"
#include "schedule/time_zone.hpp"
#include "util/time.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace workflow::detail {

class ScheduleSpec {
 public:
  /// Throws ScheduleSpecError for a bad expression, interval or time zone. An empty time zone is
  /// UTC.
  static ScheduleSpec parse(std::string_view spec, std::string_view time_zone);

  /// The first fire time strictly after `after`, at second precision; nullopt when there is none
  /// (an impossible date such as `0 0 30 2 *`, or past the end of system_clock's range).
  std::optional<TimePoint> next_after(TimePoint after) const;

  /// Up to `count` fire times after `after`, in order; fewer when the schedule stops firing.
  std::vector<TimePoint> next_n(TimePoint after, std::size_t count) const;

  /// For people: `cron '30 2 * * *' in Europe/Berlin`, `every 1h30m from the Unix epoch (UTC)`.
  std::string describe() const;

  const std::string& spec() const { return spec_; }
  const std::string& time_zone_name() const { return zone_.name(); }

 private:
  ScheduleSpec(std::string spec, TimeZone zone) : spec_(std::move(spec)), zone_(std::move(zone)) {}

  std::string spec_;
  TimeZone zone_;
  std::optional<CronExpression> cron_;    // set for cron expressions
  std::chrono::seconds interval_{0};      // set for @every
};

}  // namespace workflow::detail
