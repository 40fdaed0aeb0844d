// Cron expressions in a time zone: the DST rules of zoned_cron.hpp, walked period by period.
#include "schedule/zoned_cron.hpp"

#include <algorithm>

namespace workflow::detail {
namespace {

using std::chrono::local_seconds;
using std::chrono::seconds;
using std::chrono::sys_seconds;

/// The last instant a system_clock::time_point holds (2262 with libstdc++'s nanoseconds): later
/// fire times could not be returned.
constexpr sys_seconds kLastInstant =
    std::chrono::floor<seconds>(std::chrono::time_point<std::chrono::system_clock>::max());

/// Periods that begin before this are the tzdata's "since the beginning of time" sentinel (real
/// transitions start in the 19th century): there is no period before them to look at.
constexpr sys_seconds kEarliestTransition = std::chrono::sys_days{std::chrono::year{1800} / 1 / 1};

local_seconds wall_clock(sys_seconds instant, seconds offset) {
  return local_seconds{(instant + offset).time_since_epoch()};
}

}  // namespace

std::optional<sys_seconds> next_cron_fire(const CronExpression& cron, const TimeZone& zone, sys_seconds after) {
  if (!cron.can_ever_fire() || after >= kLastInstant) return std::nullopt;
  const bool follows_shown_clock = cron.fires_every_hour();

  sys_seconds from = after + seconds(1);
  UtcOffsetPeriod period = zone.period_at(from);
  // The offset before this period began, to see the gap or overlap at its start.
  std::optional<seconds> previous_offset;
  if (period.begin > kEarliestTransition) previous_offset = zone.period_at(period.begin - seconds(1)).offset;

  while (true) {
    const local_seconds period_start = wall_clock(period.begin, period.offset);
    const sys_seconds period_last = std::min(period.end - seconds(1), kLastInstant);
    local_seconds lowest = wall_clock(from, period.offset);
    if (previous_offset && !follows_shown_clock) {
      const local_seconds previous_end = wall_clock(period.begin, *previous_offset);
      if (previous_end < period_start && from <= period.begin &&
          cron.next_match(previous_end, period_start - seconds(1))) {
        return period.begin;  // a time of day inside the gap: once, as the gap ends
      }
      // After a fall back, the times up to previous_end were shown by the period before.
      lowest = std::max(lowest, previous_end);
    }
    if (std::optional<local_seconds> match = cron.next_match(lowest, wall_clock(period_last, period.offset))) {
      return sys_seconds{(*match - period.offset).time_since_epoch()};
    }
    if (period_last >= kLastInstant) return std::nullopt;
    previous_offset = period.offset;
    from = period.end;
    period = zone.period_at(from);
  }
}

}  // namespace workflow::detail
