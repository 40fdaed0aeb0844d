// Inspecting the journal from outside the runs: which workflows the deployments registered, which
// runs exist (filtered, paged), and what one run did, call by call. Operator tools (the `wf` CLI,
// `wf serve`) are built on these; applications may use them too.
#pragma once

#include <workflow/context.hpp>
#include <workflow/run_status.hpp>
#include <workflow/serialization.hpp>
#include <workflow/streams.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace workflow {

/// A workflow one deployment has registered (a worker process of it started with its code).
struct WorkflowInfo {
  std::string id;
  std::string deployment_id;
  TimePoint registered_at;
};

/// Every registered workflow, by ID then registration time.
std::vector<WorkflowInfo> list_workflows();

/// Which runs list_runs returns. Empty fields do not filter.
struct RunQuery {
  std::optional<RunStatus> status;
  /// A workflow's stable ID.
  std::string workflow;
  /// Only runs created after this time.
  std::optional<TimePoint> since;
  /// At most this many runs per page (1-1000).
  std::size_t limit = 50;
  /// The `next_cursor` of the previous page; empty for the first.
  std::string cursor;
};

/// A run's record without its payloads.
struct RunSummary {
  std::string id;
  std::string workflow;
  RunStatus status = RunStatus::pending;
  std::string deployment_id;
  std::string parent_run_id;
  TimePoint created_at;
  std::optional<TimePoint> started_at;
  std::optional<TimePoint> completed_at;
  TimePoint updated_at;
  /// The queue the run was started into (docs/queues.md); empty for none.
  std::string queue;
  /// While the run waits in its queue: its place, 1 = next (by priority, then creation); 0 once
  /// dequeued, or outside a queue.
  std::int64_t position = 0;
  /// Marked to be kept: retention never deletes it (docs/retention.md).
  bool kept = false;
};

/// One page of runs, newest first.
struct RunPage {
  std::vector<RunSummary> runs;
  /// Pass as RunQuery::cursor for the next page; empty on the last page.
  std::string next_cursor;
};

/// Runs matching `query`; throws std::invalid_argument for a limit outside 1-1000.
RunPage list_runs(const RunQuery& query);

/// How many runs of one workflow are in one status.
struct RunCount {
  std::string workflow;
  RunStatus status = RunStatus::pending;
  std::int64_t count = 0;
  /// Pending runs: when the one waiting longest for a worker became due, if any is due now.
  std::optional<TimePoint> oldest_due;
};

/// The journal's runs counted by workflow and status (pairs without runs left out), for metrics
/// (`wf serve`'s /metrics, docs/metrics.md). Reads every run.
std::vector<RunCount> count_runs();

/// One ended attempt of a step call.
struct StepAttempt {
  int attempt = 1;
  TimePoint started_at;
  TimePoint ended_at;
  /// `completed`, `retrying` (failed, another attempt follows) or `failed`.
  std::string outcome;
  /// The exception's message, for attempts that did not complete.
  std::string error;
  /// It overran its timeout and was still running when its stop grace ended: it was left
  /// running on its own thread, and nothing it did afterwards was recorded.
  bool abandoned = false;
};

/// One durable call of a run: a step, a sleep, a wait for an event or a child run.
struct TimelineEntry {
  /// `step-3`, `wait-4`, `hook-5`, `child-6`, prefixed in parallel branches and restarted attempts.
  std::string correlation_id;
  /// `step`, `sleep`, `event`, `child` or `patch` (workflow::patched took the new code here).
  std::string kind;
  /// The step's or child workflow's stable ID, the event type, the patch's change ID, or `sleep`.
  std::string name;
  /// `completed`, `failed`, `retrying` or `waiting`.
  std::string status;
  std::optional<TimePoint> started_at;
  std::optional<TimePoint> ended_at;
  /// Steps: each ended attempt (an attempt still running is not journaled yet).
  std::vector<StepAttempt> attempts;
  /// Child calls: the child's run ID.
  std::string child_run_id;
};

/// Everything recorded about one run.
struct RunDetails {
  RunSummary summary;
  /// The workflow's arguments as a JSON array.
  Json input;
  /// The return value, once completed.
  Json output;
  /// `{"message": ...}`, once failed.
  Json error;
  /// Why the run's stored record cannot be trusted (it failed its checksum or cannot be decoded):
  /// its input and output are then unknown and shown as null. Empty for a sound record.
  std::string damage;
  std::vector<TimelineEntry> timeline;
  std::vector<StreamInfo> streams;
};

/// The run `run_id`; throws RunNotFoundError.
RunDetails inspect_run(const std::string& run_id);

}  // namespace workflow
