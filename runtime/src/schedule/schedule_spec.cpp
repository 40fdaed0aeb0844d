// Parsing schedule specs and computing their fire times.
#include "schedule/schedule_spec.hpp"

#include "schedule/zoned_cron.hpp"
#include "util/duration_text.hpp"

#include <workflow/errors.hpp>

#include <cctype>

namespace workflow::detail {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

constexpr std::string_view kEveryPrefix = "@every";

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

bool starts_with_every(std::string_view spec) {
  if (spec.size() < kEveryPrefix.size()) return false;
  for (std::size_t i = 0; i < kEveryPrefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(spec[i])) != kEveryPrefix[i]) return false;
  }
  return spec.size() == kEveryPrefix.size() || std::isspace(static_cast<unsigned char>(spec[kEveryPrefix.size()]));
}

/// An @every interval: a duration text of at least one second.
seconds parse_interval(std::string_view spec, std::string_view interval) {
  auto fail = [&](const std::string& problem) -> void {
    throw ScheduleSpecError("schedule '" + std::string(spec) + "': " + problem);
  };
  if (interval.empty()) fail("@every needs an interval, e.g. @every 30s, @every 5m, @every 1h30m");
  seconds total{0};
  try {
    total = parse_duration_text(interval);
  } catch (const DurationTextError& error) {
    fail(std::string("interval ") + error.what());
  }
  if (total < seconds(1)) fail("interval '" + std::string(interval) + "' must be at least 1 second");
  return total;
}

TimePoint to_time_point(sys_seconds instant) { return std::chrono::time_point_cast<TimePoint::duration>(instant); }

}  // namespace

ScheduleSpec ScheduleSpec::parse(std::string_view spec, std::string_view time_zone) {
  const std::string_view trimmed = trim(spec);
  const std::string_view zone_name = trim(time_zone);
  ScheduleSpec schedule(std::string(trimmed), TimeZone::locate(zone_name.empty() ? "UTC" : zone_name));
  if (starts_with_every(trimmed)) {
    schedule.interval_ = parse_interval(trimmed, trim(trimmed.substr(kEveryPrefix.size())));
  } else {
    schedule.cron_ = CronExpression::parse(trimmed);
  }
  return schedule;
}

std::optional<TimePoint> ScheduleSpec::next_after(TimePoint after) const {
  // Fire times are whole seconds: the next one after 10:00:00.5 is at 10:00:01 or later.
  sys_seconds after_seconds = std::chrono::floor<seconds>(after);
  std::optional<sys_seconds> next;
  if (cron_) {
    next = next_cron_fire(*cron_, zone_, after_seconds);
  } else {
    const seconds since_epoch = after_seconds.time_since_epoch();
    // Floor division: ticks before the epoch are multiples of the interval too.
    long long ticks = since_epoch.count() / interval_.count();
    if (since_epoch.count() % interval_.count() < 0) --ticks;
    const sys_seconds candidate{interval_ * (ticks + 1)};
    if (candidate <= std::chrono::floor<seconds>(TimePoint::max())) next = candidate;
  }
  if (!next) return std::nullopt;
  return to_time_point(*next);
}

std::vector<TimePoint> ScheduleSpec::next_n(TimePoint after, std::size_t count) const {
  std::vector<TimePoint> times;
  times.reserve(count);
  while (times.size() < count) {
    std::optional<TimePoint> next = next_after(times.empty() ? after : times.back());
    if (!next) break;
    times.push_back(*next);
  }
  return times;
}

std::string ScheduleSpec::describe() const {
  if (cron_) return "cron '" + cron_->text() + "' in " + zone_.name();
  return "every " + format_duration_text(interval_) + " from the Unix epoch (UTC)";
}

}  // namespace workflow::detail
