// What workflow and step code may ask of the run it belongs to.
//
// These functions read the current thread's run. Outside a run they throw NotInWorkflowError.
#pragma once

#include <chrono>
#include <cstdint>
#include <source_location>
#include <stop_token>
#include <string>

namespace workflow {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

/// Suspends the workflow for `duration` (durable: survives restarts; `Run::wake_up` ends it early).
/// The run's thread is released while it waits. Workflow bodies only.
void sleep(std::chrono::milliseconds duration, std::source_location where = std::source_location::current());

/// Suspends the workflow until `deadline`. Workflow bodies only.
void sleep_until(TimePoint deadline, std::source_location where = std::source_location::current());

/// The workflow's clock: the time of the latest journal event the workflow has reached, so the
/// same on every replay. Workflow bodies only.
TimePoint now();

/// A pseudo-random number in [0, 1) that repeats exactly on replay. Workflow bodies only.
double random();

/// A pseudo-random 64-bit integer that repeats exactly on replay. Workflow bodies only.
std::uint64_t random_u64();

/// Facts about the step attempt the calling thread is running.
struct StepMetadata {
  std::string run_id;
  std::string workflow_name;
  /// The step's stable ID, e.g. `step//./orders//charge_card`.
  std::string step_name;
  /// Unique to this call in this run and the same on every attempt: an idempotency key for
  /// external systems, e.g. `wrun_01J.../step-2`.
  std::string step_id;
  /// 1 for the first attempt. An attempt cut short by a crash counts, so after a crash this
  /// may exceed the attempts actually started by one.
  int attempt = 1;
  /// Asked to stop when the attempt's timeout passes (StepOptions::timeout), or when its run is
  /// cancelled, restarted or taken over, in this process or another. A step that checks it (or
  /// hands it to what it waits on) and returns or throws soon after lets its thread go; one that
  /// is still running a while after its timeout (as long again as the timeout, at most a second)
  /// is abandoned: left running, and marked so in the journal. What it does after being asked to
  /// stop is never recorded.
  std::stop_token stop_token;
};

/// The current step's metadata. Step bodies only (a step called as a plain function has none).
const StepMetadata& step_metadata();

/// Whether the current step attempt was asked to stop (StepMetadata::stop_token). False outside
/// a step attempt, so a step called as a plain function can call it too.
bool stop_requested();

/// Facts about the run the calling thread belongs to.
struct WorkflowMetadata {
  std::string run_id;
  std::string workflow_name;
  TimePoint created_at;
  /// How many times the run was taken over after its worker died.
  int recovery_count = 0;
};

/// The current run's metadata. Workflow and step bodies.
const WorkflowMetadata& workflow_metadata();

/// True while the calling thread runs a workflow body or a step on behalf of a run.
bool in_run();

}  // namespace workflow
