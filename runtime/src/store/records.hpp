// The journal's records: runs and their events (the Workflow SDK's event vocabulary).
// The format as stored is specified in docs/journal.md.
#pragma once

#include "util/time.hpp"

#include <workflow/run_status.hpp>
#include <workflow/serialization.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace workflow::detail {

enum class EventType {
  run_created,
  run_started,
  step_started,
  step_completed,
  step_retrying,
  step_failed,
  wait_created,
  wait_completed,
  event_waiting,
  event_received,
  run_paused,
  run_resumed,
  child_started,
  child_completed,
  run_restarted,
  run_completed,
  run_failed,
  run_cancelled,
  patch_recorded,
  run_upgraded,
  webhook_created,
};

std::string_view to_string(EventType type);
std::optional<EventType> parse_event_type(std::string_view name);

/// One entry of a run's append-only journal.
struct Event {
  std::int64_t id = 0;  // assigned by the store; increases in commit order
  std::string run_id;
  EventType type = EventType::run_created;
  /// Which call inside the run the event belongs to (`step-3`, `wait-4`); empty for run events.
  std::string correlation_id;
  /// The call's position in the workflow's order of calls; -1 for run events.
  std::int64_t position = -1;
  /// The step's stable ID, for step events.
  std::string step_name;
  Json data;
  TimePoint created_at;
};

/// The current state of one run, derived from (and written together with) its events.
struct RunRecord {
  std::string id;
  std::string workflow_name;
  std::string deployment_id;
  RunStatus status = RunStatus::pending;
  Json input;
  Json output;
  Json error;
  TimePoint created_at;
  std::optional<TimePoint> started_at;
  std::optional<TimePoint> completed_at;
  TimePoint updated_at;
  /// The worker identity holding the run's lease; empty when nobody does.
  std::string owner;
  TimePoint lease_expires_at;
  /// When the run should next execute; empty while it waits on something without a deadline.
  std::optional<TimePoint> ready_at;
  /// How many times a worker took the run over from a dead or expired owner.
  int recovery_count = 0;
  std::string parent_run_id;
  /// 1, plus one per restart: writes of an older attempt still executing are fenced off.
  int attempt = 1;
  /// Set when the stored record failed its checksum or could not be decoded: why. Its input and
  /// output are then unknown; the engine sets the run aside and nothing writes the record back.
  std::optional<std::string> damage;
  /// Set by claim_due_runs on a run it took from another holder (its lease ran out, or the holder
  /// died). Not stored.
  bool taken_over = false;
};

/// A webhook a run created (docs/webhooks.md): found by the SHA-256 of its token, which is
/// stored nowhere. Written in the transaction that appends its `webhook_created` event.
struct WebhookRecord {
  /// Lowercase hex SHA-256 of the token.
  std::string token_hash;
  std::string run_id;
  /// The run's attempt that created it: a restarted run's old webhooks deliver nothing.
  int attempt = 1;
  /// The create_webhook call (`webhook-3`); its deliveries go to the run's inbox under a type
  /// derived from it (webhook_event_type).
  std::string correlation_id;
  bool single_use = true;
  bool used = false;
  std::int64_t max_body_bytes = 0;
  TimePoint created_at;
};

/// What an executing worker checks before each write: who holds the run, in which attempt.
struct RunFence {
  RunStatus status = RunStatus::pending;
  /// Empty when nobody holds the run.
  std::string owner;
  int attempt = 1;
};

/// Puts `run` in the final `status` at `at`: nobody holds it and it is never due again.
inline void mark_final(RunRecord& run, RunStatus status, TimePoint at) {
  run.status = status;
  run.completed_at = at;
  run.updated_at = at;
  run.ready_at.reset();
  run.owner.clear();
}

/// A workflow a deployment has registered.
struct WorkflowRegistration {
  std::string id;
  std::string deployment_id;
  TimePoint registered_at;
};

/// Which runs `list_runs` returns, newest first.
struct RunFilter {
  std::optional<RunStatus> status;
  std::string workflow_name;
  std::optional<TimePoint> created_after;
  std::size_t limit = 100;
  /// Continue after this run ID (paging, newest first).
  std::string before_id;
};

/// How many runs of a workflow are in one status (tally_runs).
struct RunTally {
  std::string workflow_name;
  RunStatus status = RunStatus::pending;
  std::int64_t count = 0;
  /// For pending runs: the earliest time one of them became due and is still waiting, if any is
  /// due at the time asked about.
  std::optional<TimePoint> oldest_due;
};

/// Which runs a prune deletes first (docs/retention.md): runs in one of `statuses` (final ones;
/// empty: completed, failed and cancelled) that ended before `finished_before`, are not marked to
/// keep, and have no parent in the journal. Their finished, unkept descendants go with them.
struct PruneSelection {
  TimePoint finished_before;
  std::vector<RunStatus> statuses;
};

/// The names of the selection's statuses, all three final ones when it lists none.
std::vector<std::string> prune_status_names(const PruneSelection& selection);

/// What a prune deleted, or would delete.
struct PruneCounts {
  std::int64_t runs = 0;
  std::int64_t events = 0;
  std::int64_t stream_chunks = 0;
  PruneCounts& operator+=(const PruneCounts& other) {
    runs += other.runs;
    events += other.events;
    stream_chunks += other.stream_chunks;
    return *this;
  }
};

/// A finished run a prune may delete with its parent, and that parent.
struct PrunableChild {
  std::string run_id;
  std::string parent_run_id;
};

/// How much room the journal takes.
struct JournalSize {
  std::int64_t bytes = 0;
  /// Of which free for reuse (SQLite's free pages); nothing where the store cannot tell.
  std::optional<std::int64_t> free_bytes;
};

/// One chunk of a run's stream.
struct StreamChunk {
  std::int64_t index = 0;
  Json data;
  TimePoint written_at;
};

/// A stream of a run as stored: how many chunks it holds and whether its writer closed it.
struct StreamState {
  std::string name_space;
  std::int64_t length = 0;
  bool closed = false;
};

/// Chunks read from one stream, with the stream's state in the same snapshot.
struct StreamSlice {
  std::vector<StreamChunk> chunks;
  StreamState state;
};

/// A chunk as stored, with the key of the call that wrote it.
struct StoredChunk {
  std::int64_t index = 0;
  std::string writer_key;
  std::string json_text;
  TimePoint written_at;
};

}  // namespace workflow::detail
