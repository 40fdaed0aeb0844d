// Which ticks of a schedule start runs: the catch-up and overlap policies as one pure function
// of the stored schedule, its expression, the time and whether its previous run has finished.
// The ticker (schedule_firing.cpp) applies the plan in the transaction that starts the runs.
//
// Catch-up: the due ticks are those from the stored next fire time up to now. A tick late by no
// more than the grace period always runs; older ones ("missed") follow the catch-up policy:
// skip (none), last (the latest), all (those within the catch-up window).
// Overlap, tick by tick in order, the buffered tick (if its previous run ended) first: allow_all
// starts every tick; skip starts one only when the previous run has finished, else counts it;
// buffer_one keeps the first such tick waiting, counting the rest.
#pragma once

#include "schedule/schedule_spec.hpp"
#include "store/schedule_record.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace workflow::detail {

struct TickPlan {
  /// Ticks that start a run, in order.
  std::vector<TimePoint> start;
  /// The schedule's state afterwards.
  std::optional<TimePoint> next_fire_at;
  std::optional<TimePoint> buffered_tick_at;
  std::int64_t skipped = 0;
};

/// At most `limit` due ticks are handled per call; next_fire_at then names the first one left,
/// so the next call goes on from there.
TickPlan plan_ticks(const ScheduleRecord& schedule, const ScheduleSpec& spec, TimePoint now,
                    bool previous_unfinished, std::size_t limit);

/// Where a schedule resumed at `now` starts again: the ticks of the paused period are missed
/// ticks under the catch-up policy, without the grace period.
std::optional<TimePoint> resume_fire_time(const ScheduleRecord& schedule, const ScheduleSpec& spec, TimePoint now);

/// The latest tick in [from, before), if any, found without walking every tick since `from`.
std::optional<TimePoint> latest_tick(const ScheduleSpec& spec, TimePoint from, TimePoint before);

/// The first tick at or after `from`.
std::optional<TimePoint> first_tick_from(const ScheduleSpec& spec, TimePoint from);

}  // namespace workflow::detail
