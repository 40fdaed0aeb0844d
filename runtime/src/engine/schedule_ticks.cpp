// The catch-up and overlap policies (schedule_ticks.hpp).
#include "engine/schedule_ticks.hpp"

#include <algorithm>

namespace workflow::detail {

std::optional<TimePoint> first_tick_from(const ScheduleSpec& spec, TimePoint from) {
  return spec.next_after(from - std::chrono::microseconds(1));
}

std::optional<TimePoint> latest_tick(const ScheduleSpec& spec, TimePoint from, TimePoint before) {
  if (before <= from) return std::nullopt;
  // Widening windows back from `before`: a second-by-second schedule missed for a week is found in
  // the first minute, a yearly one after a few doublings, and neither walks every tick.
  for (auto span = std::chrono::microseconds(std::chrono::minutes(1));; span *= 2) {
    TimePoint low = before - span < from ? from : before - span;
    auto tick = first_tick_from(spec, low);
    if (tick && *tick < before) {
      for (auto next = spec.next_after(*tick); next && *next < before; next = spec.next_after(*next)) tick = next;
      return tick;
    }
    if (low == from) return std::nullopt;
  }
}

TickPlan plan_ticks(const ScheduleRecord& schedule, const ScheduleSpec& spec, TimePoint now,
                    bool previous_unfinished, std::size_t limit) {
  TickPlan plan;
  plan.next_fire_at = schedule.next_fire_at;
  plan.buffered_tick_at = schedule.buffered_tick_at;
  if (plan.buffered_tick_at && !previous_unfinished) {
    plan.start.push_back(*plan.buffered_tick_at);
    plan.buffered_tick_at.reset();
    previous_unfinished = true;
  }
  if (!schedule.next_fire_at || *schedule.next_fire_at > now) return plan;

  TimePoint from = *schedule.next_fire_at;
  TimePoint late = now - schedule.grace;  // ticks before this are missed
  std::vector<TimePoint> due;
  TimePoint on_time_from = std::max(from, late);
  if (schedule.catch_up == "last") {
    if (auto last = latest_tick(spec, from, late)) due.push_back(*last);
  } else if (schedule.catch_up == "all") {
    on_time_from = std::max(from, std::min(late, now - schedule.catch_up_window));
  }
  std::optional<TimePoint> next = first_tick_from(spec, on_time_from);
  for (; next && *next <= now && due.size() < limit; next = spec.next_after(*next)) due.push_back(*next);
  // Stopped at the limit: the first tick not handled is still due, and is handled next time.
  plan.next_fire_at = next;

  for (auto tick : due) {
    if (schedule.overlap == "allow_all" || !previous_unfinished) {
      plan.start.push_back(tick);
      previous_unfinished = true;
    } else if (schedule.overlap == "buffer_one" && !plan.buffered_tick_at) {
      plan.buffered_tick_at = tick;
    } else {
      ++plan.skipped;
    }
  }
  return plan;
}

std::optional<TimePoint> resume_fire_time(const ScheduleRecord& schedule, const ScheduleSpec& spec, TimePoint now) {
  if (!schedule.next_fire_at || *schedule.next_fire_at > now) return schedule.next_fire_at;
  // The tick stored as the next fire time is due at once, and plan_ticks starts it and those
  // after it: for `last` the latest missed one, for `all` the first within the window.
  if (schedule.catch_up == "last") {
    if (auto last = latest_tick(spec, *schedule.next_fire_at, now + std::chrono::microseconds(1))) return last;
  } else if (schedule.catch_up == "all") {
    auto first = first_tick_from(spec, std::max(*schedule.next_fire_at, now - schedule.catch_up_window));
    if (first && *first <= now) return first;
  }
  return spec.next_after(now);
}

}  // namespace workflow::detail
