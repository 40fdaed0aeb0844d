// Starting the runs of schedules: due ticks (the ticker) and "trigger now".
//
// Exactly one run per tick: the run's ID is derived from the schedule's name and the tick
// (`sched-<name>-<UTC tick>`), and it is inserted with the engine's idempotent insert in the
// same transaction that advances the schedule's next fire time, on the schedule's row claimed
// for update. A crash before that commit leaves the tick due (and within the grace period, it
// runs); after it, the tick is handled and its run exists: no instant loses or doubles a tick.
#pragma once

#include "util/time.hpp"

#include <cstddef>
#include <string>

namespace workflow::detail {

class Engine;

class ScheduleFiring {
 public:
  struct Pass {
    /// Schedules claimed and advanced, and runs started.
    std::size_t handled = 0;
    std::size_t started = 0;
  };
  /// Fires the schedules with work at `now` (a batch of them, in one transaction).
  static Pass fire_due(Engine& engine, TimePoint now);
  /// Starts a run of the schedule `name` now, ignoring its state and overlap policy; returns the
  /// run's ID. Throws ScheduleNotFoundError.
  static std::string trigger(Engine& engine, const std::string& name);

  /// `sched-<name>-<tick as UTC, e.g. 20260301T090000Z>`.
  static std::string run_id_for_tick(const std::string& name, TimePoint tick);
  /// `sched-<name>-<time to the microsecond, e.g. 20260301T090000.123456Z>-manual`.
  static std::string run_id_for_trigger(const std::string& name, TimePoint at);

  /// Schedules claimed per transaction, and ticks handled per schedule in one (catch-up of many).
  static constexpr std::size_t kSchedulesPerPass = 200;
  static constexpr std::size_t kTicksPerPass = 1000;
};

}  // namespace workflow::detail
