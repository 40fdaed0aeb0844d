// When a cron expression fires in a time zone: wall-clock matches turned into instants across
// DST transitions.
//
// The rules (docs/schedules.md, "Daylight saving time"), after Vixie cron's split between
// wildcard jobs and fixed-time jobs:
// - An expression whose hour field matches every hour (`*/15 * * * *`, `0 * * * *`) follows the
//   clock as it is shown: a wall-clock time the clock skips (spring forward) does not happen, one
//   it shows twice (fall back) happens twice. It keeps its cadence in real time.
// - Any other expression names times of day, and each matching wall-clock time fires once: a time
//   inside a gap fires at the instant the gap ends (02:30 in Berlin's skipped hour fires at 03:00
//   CEST; several matches in one gap fire once), a time shown twice fires at its first occurrence.
//
// This is done period by period of constant UTC offset (time_zone.hpp), never minute by minute.
#pragma once

#include "schedule/cron_expression.hpp"
#include "schedule/time_zone.hpp"

#include <chrono>
#include <optional>

namespace workflow::detail {

/// The first instant strictly after `after` at which `cron` fires in `zone`, or nullopt when it
/// never does again before the end of std::chrono::system_clock's range.
std::optional<std::chrono::sys_seconds> next_cron_fire(const CronExpression& cron, const TimeZone& zone,
                                                       std::chrono::sys_seconds after);

}  // namespace workflow::detail
