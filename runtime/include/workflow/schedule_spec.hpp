// Schedule expressions: when a cron expression or an `@every` interval fires (docs/schedules.md).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace workflow {

/// The next `count` times at which `spec` fires in `time_zone`, strictly after `after`, at second
/// precision. `spec` is a cron expression of 5 or 6 fields or a macro (`@daily`), or
/// `@every <interval>` (`30s`, `5m`, `1h30m`, `2d`); `time_zone` an IANA name such as
/// "Europe/Berlin" (empty: UTC). Fewer than `count` when the schedule stops firing (`0 0 30 2 *`
/// never does). Throws ScheduleSpecError for a bad spec or time zone. Thread-safe.
std::vector<std::chrono::system_clock::time_point> next_fire_times(std::string_view spec, std::string_view time_zone,
                                                                   std::chrono::system_clock::time_point after,
                                                                   std::size_t count);

/// `spec` in words, after checking it as next_fire_times does: `cron '30 2 * * *' in
/// Europe/Berlin`, `every 1h30m from the Unix epoch (UTC)`. Throws ScheduleSpecError.
std::string describe_schedule(std::string_view spec, std::string_view time_zone);

}  // namespace workflow
