// Time zone periods from Howard Hinnant's date/tz over the system's tzdata.
#include "schedule/time_zone.hpp"

#include "schedule/posix_tz_rule.hpp"

#include <workflow/errors.hpp>

#include <date/tz.h>

#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>

namespace workflow::detail {

namespace {

// Read once per zone and kept for the process's life (TimeZone points into it).
const PosixTzRule* footer_rule(const std::string& name) {
  static std::mutex mutex;
  static std::map<std::string, std::optional<PosixTzRule>> rules;
  std::lock_guard lock(mutex);
  auto [entry, inserted] = rules.try_emplace(name);
  if (inserted) entry->second = PosixTzRule::from_tzif_file(("/usr/share/zoneinfo/" + name).c_str());
  return entry->second && entry->second->has_dst() ? &*entry->second : nullptr;
}

// A zone with DST changes at least once a year: a period of date/tz that lasts longer than this
// ends at its data's last transition, and the footer rule goes on from there.
constexpr auto kLongerThanAnyDstPeriod = std::chrono::days(400);

}  // namespace

TimeZone TimeZone::locate(std::string_view name) {
  try {
    const date::time_zone* zone = date::locate_zone(name);
    return TimeZone(std::string(name), zone, footer_rule(std::string(name)));
  } catch (const std::runtime_error&) {
    throw ScheduleSpecError("time zone '" + std::string(name) +
                            "': not in the time zone database (/usr/share/zoneinfo); use an IANA name such as "
                            "Europe/Berlin, America/New_York or UTC");
  }
}

UtcOffsetPeriod TimeZone::period_at(std::chrono::sys_seconds instant) const {
  // date's sys_time is std::chrono's (both are time_point<system_clock, ...>).
  const date::sys_info info = zone_->get_info(instant);
  if (footer_ && info.end - info.begin > kLongerThanAnyDstPeriod) {
    auto rule = footer_->period_at(instant);
    if (rule.begin < info.begin) rule.begin = info.begin;
    return rule;
  }
  return UtcOffsetPeriod{info.begin, info.end, info.offset};
}

std::chrono::local_seconds TimeZone::to_local(std::chrono::sys_seconds instant) const {
  return std::chrono::local_seconds{(instant + period_at(instant).offset).time_since_epoch()};
}

}  // namespace workflow::detail
