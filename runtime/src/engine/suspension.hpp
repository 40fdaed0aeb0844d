// The control-flow signals that unwind a workflow body without being errors.
//
// Neither derives from std::exception, so `catch (const std::exception&)` in user code cannot
// swallow them (wfc rejects `catch (...)` without rethrow in workflow bodies, and the run context
// remembers a suspension even if one is swallowed anyway).
#pragma once

#include "util/time.hpp"

#include <workflow/run_status.hpp>

#include <optional>
#include <string>
#include <vector>

namespace workflow::detail {

/// The workflow must wait: its thread is released and the run resumes by replay at `ready_at`
/// (never, until something external happens, if empty).
struct Suspension {
  std::optional<TimePoint> ready_at;
  RunStatus status = RunStatus::waiting;
  /// The external event types waited for (several when parallel branches wait): if one arrived
  /// meanwhile, the run is made due at once instead of sleeping until `ready_at`.
  std::vector<std::string> awaited_events;
  /// The child runs waited for: if one ended meanwhile, the run is made due at once.
  std::vector<std::string> awaited_children;
  /// The sleeps waited for, by correlation ID: if one was woken up meanwhile, the run is made due
  /// at once.
  std::vector<std::string> awaited_wakeups;

  /// Adds what `other` waits for (another parallel branch's suspension) to what this one does.
  void also_await(const Suspension& other) {
    awaited_events.insert(awaited_events.end(), other.awaited_events.begin(), other.awaited_events.end());
    awaited_children.insert(awaited_children.end(), other.awaited_children.begin(), other.awaited_children.end());
    awaited_wakeups.insert(awaited_wakeups.end(), other.awaited_wakeups.begin(), other.awaited_wakeups.end());
  }
};

/// This execution must stop without recording anything more.
struct Interruption {
  /// `storage_failed`: a write of this execution failed (the journal stayed locked past the busy
  /// timeout, say); the run is handed back and resumes from its journal, it does not fail.
  enum class Reason { cancelled, paused, lease_lost, shutdown, storage_failed } reason;
};

}  // namespace workflow::detail
