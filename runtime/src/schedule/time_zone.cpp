// Time zone periods from Howard Hinnant's date/tz over the system's tzdata.
#include "schedule/time_zone.hpp"

#include <workflow/errors.hpp>

#include <date/tz.h>

#include <stdexcept>

namespace workflow::detail {

TimeZone TimeZone::locate(std::string_view name) {
  try {
    return TimeZone(std::string(name), date::locate_zone(name));
  } catch (const std::runtime_error&) {
    throw ScheduleSpecError("time zone '" + std::string(name) +
                            "': not in the time zone database (/usr/share/zoneinfo); use an IANA name such as "
                            "Europe/Berlin, America/New_York or UTC");
  }
}

UtcOffsetPeriod TimeZone::period_at(std::chrono::sys_seconds instant) const {
  // date's sys_time is std::chrono's (both are time_point<system_clock, ...>).
  const date::sys_info info = zone_->get_info(instant);
  return UtcOffsetPeriod{info.begin, info.end, info.offset};
}

std::chrono::local_seconds TimeZone::to_local(std::chrono::sys_seconds instant) const {
  return std::chrono::local_seconds{(instant + period_at(instant).offset).time_since_epoch()};
}

}  // namespace workflow::detail
