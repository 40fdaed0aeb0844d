// Time zone periods from Howard Hinnant's date/tz over the system's tzdata.
#include "schedule/time_zone.hpp"

#include <workflow/errors.hpp>

#include <date/tz.h>

#include <map>
#include <mutex>
#include <stdexcept>

namespace workflow::detail {
namespace {

// date/tz's end of a zone's last listed period; any later end is "forever".
constexpr auto kForever = std::chrono::sys_days(std::chrono::year(2100) / 1 / 1);

// Each zone's file is read once per process: schedules ask for their zone at every tick.
std::shared_ptr<const std::optional<PosixTzRule>> rule_of(const std::string& name) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const std::optional<PosixTzRule>>, std::less<>> rules;
  std::lock_guard lock(mutex);
  auto& rule = rules[name];
  if (!rule) {
    rule = std::make_shared<const std::optional<PosixTzRule>>(
        PosixTzRule::read_tzif_footer("/usr/share/zoneinfo/" + name));
  }
  return rule;
}

}  // namespace

TimeZone TimeZone::locate(std::string_view name) {
  try {
    const date::time_zone* zone = date::locate_zone(name);
    return TimeZone(std::string(name), zone, rule_of(std::string(name)));
  } catch (const std::runtime_error&) {
    throw ScheduleSpecError("time zone '" + std::string(name) +
                            "': not in the time zone database (/usr/share/zoneinfo); use an IANA name such as "
                            "Europe/Berlin, America/New_York or UTC");
  }
}

UtcOffsetPeriod TimeZone::period_at(std::chrono::sys_seconds instant) const {
  // date's sys_time is std::chrono's (both are time_point<system_clock, ...>).
  const date::sys_info info = zone_->get_info(instant);
  if (info.end < kForever || !rule_ || !*rule_) return UtcOffsetPeriod{info.begin, info.end, info.offset};
  // Past the last listed transition: the file's rule goes on changing the clocks.
  const int year = static_cast<int>(std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(instant)).year());
  UtcOffsetPeriod period{info.begin, info.end, info.offset};
  for (const auto& change : (*rule_)->changes(year - 1, year + 1)) {
    if (change.at <= info.begin) continue;  // the file lists it already
    if (change.at <= instant) {
      period.begin = change.at;
      period.offset = change.offset;
    } else {
      period.end = change.at;
      break;
    }
  }
  return period;
}

std::chrono::local_seconds TimeZone::to_local(std::chrono::sys_seconds instant) const {
  return std::chrono::local_seconds{(instant + period_at(instant).offset).time_since_epoch()};
}

}  // namespace workflow::detail
