// An IANA time zone ("Europe/Berlin", "UTC") as a sequence of periods of constant UTC offset,
// read from the system's tzdata (/usr/share/zoneinfo) through Howard Hinnant's date/tz library,
// and past the last transition the file lists, from the file's POSIX TZ rule.
//
// The header hides date/tz.h: only time_zone.cpp needs its compile definitions.
#pragma once

#include "schedule/posix_tz_rule.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace workflow::detail {

/// Instants [begin, end) during which the zone's clocks show UTC + offset.
struct UtcOffsetPeriod {
  std::chrono::sys_seconds begin;
  std::chrono::sys_seconds end;
  std::chrono::seconds offset;
};

/// Cheap to copy; the zone data it points to lives as long as the process. Thread-safe.
class TimeZone {
 public:
  /// Throws ScheduleSpecError when the system's tzdata has no zone of that name.
  static TimeZone locate(std::string_view name);

  const std::string& name() const { return name_; }

  /// The period that contains `instant`.
  UtcOffsetPeriod period_at(std::chrono::sys_seconds instant) const;

  /// The wall-clock reading at `instant`.
  std::chrono::local_seconds to_local(std::chrono::sys_seconds instant) const;

 private:
  TimeZone(std::string name, const date::time_zone* zone, std::shared_ptr<const std::optional<PosixTzRule>> rule)
      : name_(std::move(name)), zone_(zone), rule_(std::move(rule)) {}

  std::string name_;
  const date::time_zone* zone_;
  /// The rule after the file's last transition, if the zone keeps changing its clocks.
  std::shared_ptr<const std::optional<PosixTzRule>> rule_;
};

}  // namespace workflow::detail
