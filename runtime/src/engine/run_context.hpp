// The state of one execution of a workflow body: what the journal recorded, which call comes
// next, the deterministic clock and random stream, and the events not yet written.
//
// Replay model (DESIGN §4): calls are numbered in the order the body issues them; the number,
// prefixed by the parallel branches the call is nested in (`p2.1/p5.3/` + 7), is the journal key. A recorded call is answered from the journal; the first unrecorded one runs
// live. A step's outcome is durable before anything that depends on it can be seen outside this
// execution: before the next step's body runs, a child run starts, the body writes to a stream,
// or parallel branches start (flush_results), and otherwise in the same commit as the run's
// completion, failure or suspension. So a run whose last step is followed only by deterministic
// code costs one commit less, and a crash in between only runs that step again.
//
// Thread safety: a RunContext belongs to the worker thread executing the run.
#pragma once

#include "engine/replay_journal.hpp"
#include "engine/stream_writers.hpp"
#include "engine/suspension.hpp"
#include "store/records.hpp"

#include <workflow/context.hpp>
#include <workflow/detail/dispatch.hpp>
#include <workflow/replay_check.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <source_location>
#include <string>
#include <utility>
#include <vector>

namespace workflow::detail {

class Engine;
class PendingCommits;

/// What a replay check (replay_check.cpp) learns from the contexts replaying one run; shared by
/// its parallel branches.
struct ReplayCheck {
  std::mutex mutex;
  /// The first divergence found.
  std::optional<ReplayDivergence> divergence;
  std::string message;
  std::size_t calls_replayed = 0;

  void diverged(ReplayDivergence found, std::string why) {
    std::lock_guard lock(mutex);
    if (divergence) return;
    divergence = std::move(found);
    message = std::move(why);
  }
  void replayed() {
    std::lock_guard lock(mutex);
    ++calls_replayed;
  }
};

class RunContext {
 public:
  RunContext(Engine& engine, RunRecord run, const std::vector<Event>& events,
             std::shared_ptr<std::atomic<bool>> cancel_requested);
  /// A context that only replays `events` (a replay check): a call the journal answers is
  /// answered; the first it does not answer ends the replay (a Suspension); nothing is executed
  /// or written and no engine is used.
  RunContext(RunRecord run, const std::vector<Event>& events, std::shared_ptr<ReplayCheck> check);
  /// The context of branch `branch` of the workflow::parallel call at `position` of `parent`.
  RunContext(const RunContext& parent, std::int64_t position, int branch);

  /// The context of the run executing on this thread, or null.
  static RunContext* current();

  /// Makes this context current on the calling thread for the scope's lifetime.
  class Scope {
   public:
    explicit Scope(RunContext& context);
    ~Scope();
  };

  // --- used by workflow bodies (through the public API) ---
  // `where`: the call's place in the source, for non-determinism reports.
  Json dispatch_step(std::string_view step_name, const Json& input, StepBody body,
                     JournalInvoker invoke, const StepOptions& options, const std::source_location& where);
  void sleep_until(TimePoint deadline, const std::source_location& where);
  /// The payload of the next external event of `type` (sent before or after the call), or
  /// TimeoutError once `timeout` has passed.
  Json wait_for_event(std::string_view type, std::optional<std::chrono::milliseconds> timeout,
                      const std::source_location& where);
  /// workflow::create_webhook (run_context_webhooks.cpp): the webhook's correlation ID and token.
  /// The token is derived from the secret and a nonce the journal records, so a replay gets the
  /// same one; the first execution commits the webhook at once, before its URL can leave the body.
  struct CreatedWebhook {
    std::string correlation_id;
    std::string token;
  };
  CreatedWebhook create_webhook(bool single_use, std::size_t max_body_bytes, const std::source_location& where);
  /// Webhook::wait: the next delivery to the webhook `correlation_id` of this run, in order.
  Json wait_for_webhook(const std::string& correlation_id, std::optional<std::chrono::milliseconds> timeout,
                        const std::source_location& where);
  /// Starts the workflow `workflow_id` as a child run (once: replay finds the same child) and
  /// returns its output; throws RunFailedError / RunCancelledError when the child ended so.
  Json call_child(std::string_view workflow_id, const Json& input, const std::source_location& where);
  /// workflow::patched (docs/versioning.md): true, recording the patch, where the journal has
  /// recorded nothing yet; on replay, whether the run recorded this patch here.
  bool patched(std::string_view change_id);
  /// workflow::deprecate_patch: steps over this patch where a run recorded it.
  void deprecate_patch(std::string_view change_id);
  /// A replay check: the body (or a branch) ended here; a call the journal recorded after this
  /// point means the code now stops short of it.
  void check_ended_here();
  /// Runs each branch on its own thread in its own branch context and waits for all; then
  /// suspends if any branch must wait, or rethrows the first branch's error (in branch order).
  void run_parallel(const std::vector<std::function<void()>>& branches);
  /// workflow::parallel_map: runs `item(i)` for each i < count as branch i + 1, as run_parallel
  /// would, but on at most `max_in_flight` threads (0: kParallelMapThreads); each item's events
  /// are queued for the group commit as the item ends, and are durable when this returns.
  void run_parallel_map(std::size_t count, const std::function<void(std::size_t)>& item, std::size_t max_in_flight);
  TimePoint now() const { return clock_; }
  std::uint64_t next_random();
  const WorkflowMetadata& metadata() const { return metadata_; }
  /// The stream writers this execution of the body opened; the body is replayed from its start,
  /// so its chunks get the same keys every time.
  StreamWriters& stream_writers() { return stream_writers_; }
  /// Keeps `value` alive as long as this execution of the body (a step's `const T&` result).
  void keep(std::shared_ptr<const void> value) { kept_.push_back(std::move(value)); }
  /// Whether the child runs this context starts are detached from the run (workflow::detached);
  /// returns the previous setting.
  bool set_detach_children(bool detach) { return std::exchange(detach_children_, detach); }
  /// When this execution first did something its journal did not record (it had replayed up to
  /// there), if it did: replay time for the metrics. Shared with the branch contexts.
  std::optional<std::chrono::steady_clock::time_point> live_since() const;
  /// Accepts the one entry into the workflow body that the executor permitted.
  bool enter(std::string_view workflow_id);

  // --- used by the executor ---
  void permit_entry() { entry_permitted_ = true; }
  const std::optional<Suspension>& suspension() const { return suspension_; }
  const std::optional<Interruption>& interruption() const { return interruption_; }
  std::vector<Event> take_unwritten();
  /// A StorageError reached the body's top: the run is handed back, not failed.
  void storage_failed();
  /// Commits the step outcomes not yet written, if any: what follows may depend on them.
  void flush_results();
  /// The run's record without its input, output and error (see the constructor).
  const RunRecord& run() const { return run_; }
  Event make_event(EventType type, Json data, std::string correlation_id = {},
                   std::int64_t position = -1, std::string step_name = {}) const;
  /// The event carrying `payload` (event_payloads.hpp).
  template <class Payload>
  Event make_event(const Payload& payload, std::string correlation_id = {}, std::int64_t position = -1,
                   std::string step_name = {}) const {
    return make_event(Payload::type, Json(payload), std::move(correlation_id), position, std::move(step_name));
  }

 private:
  RunContext(Engine* engine, std::shared_ptr<ReplayCheck> check, RunRecord run, const std::vector<Event>& events,
             std::shared_ptr<std::atomic<bool>> cancel_requested);
  void check_can_continue();
  /// The body's writers key their chunks by this execution's attempt and branch prefix.
  void init_stream_writers();
  /// The call's number as users see it: `step-3`, or `p2.1/step-3` inside a parallel branch.
  std::string correlation(const char* kind, std::int64_t position) const;
  /// What the journal recorded for this context's call at `position`, if anything.
  const RecordedCall* recorded_call(std::int64_t position) const;
  /// The next call of this context, as the journal has it.
  struct Call {
    std::int64_t position;
    std::string correlation_id;
    /// Null when the journal has not recorded this call: it runs live.
    const RecordedCall* recorded;
  };
  /// The preamble every kind of call shares: numbers the call and checks it against what the
  /// journal recorded at its number (the same kind, the same `name`), or, in a replay check,
  /// ends the replay at the first call not recorded.
  Call begin_call(const char* correlation_kind, RecordedCall::Kind kind, std::string_view name,
                  std::string_view attempted, const std::source_location& where);
  /// A replay check reached a call the journal has not answered yet: the replay ends there.
  [[noreturn]] void replay_frontier();
  /// This execution does something its journal did not record: replay ended (live_since).
  void note_live();
  bool checking() const { return check_ != nullptr; }
  [[noreturn]] void interrupt(Interruption::Reason reason);
  [[noreturn]] void suspend(Suspension suspension);
  [[noreturn]] void non_determinism(std::int64_t position, const std::string& correlation_id, const std::string& recorded,
                                    std::string_view attempted, const std::source_location* where) const;
  /// Runs one attempt; returns its output or the error message of the exception it threw.
  struct AttemptOutcome {
    std::optional<Json> output;
    std::string error;
    bool fatal = false;
    std::chrono::milliseconds retry_after{0};
    /// It overran its timeout and did not stop within its grace when asked to.
    bool abandoned = false;
  };
  AttemptOutcome run_attempt(const StepMetadata& step, const Json& input, StepBody body,
                             JournalInvoker invoke, const StepOptions& options);
  /// Commits the unwritten events plus `events`, fenced on this worker still owning the run.
  void commit(std::vector<Event> events);
  /// Queues the unwritten events for the group commit, fenced as commit() does, without waiting
  /// for it; `commits` learns when it is durable or why it was refused.
  void commit_later(PendingCommits& commits);
  /// The preamble of a parallel call (parallel_branches.cpp): numbers it and checks it against
  /// the journal; `attempted` says what the code does now, for a non-determinism report.
  std::int64_t begin_parallel(std::string_view attempted);
  /// Runs `count` branches of the parallel call at `position` on `threads` threads, each in a
  /// branch context of its own, then merges them in branch order: suspends if any must wait,
  /// or rethrows the first one's error. `commit_each_branch`: a branch's events are queued for
  /// the group commit as it ends (parallel_map), instead of being written with this context's.
  void run_branches(std::int64_t position, std::size_t count, std::size_t threads,
                    const std::function<void(std::size_t)>& branch, bool commit_each_branch);

  /// Null in a replay check.
  Engine* engine_;
  std::shared_ptr<ReplayCheck> check_;
  RunRecord run_;
  /// Shared by the branch contexts (it never changes): parallel_map makes thousands of them.
  std::shared_ptr<const ReplayJournal> journal_;
  std::shared_ptr<std::atomic<bool>> cancel_requested_;
  WorkflowMetadata metadata_;
  /// The next call's number within this context (the run's body or one parallel branch).
  std::int64_t next_position_ = 1;
  /// Where this branch's calls were numbered from before replay keys were strings
  /// (`(P << 20) + (B << 10)`, wrapping as unsigned): only the random stream's seed uses it.
  std::uint64_t legacy_position_base_ = 0;
  std::string correlation_prefix_;
  TimePoint clock_;
  std::uint64_t random_state_;
  bool entry_permitted_ = false;
  bool live_step_ran_ = false;
  /// steady_clock ticks since its epoch; 0: not yet.
  std::shared_ptr<std::atomic<std::int64_t>> live_since_ = std::make_shared<std::atomic<std::int64_t>>(0);
  bool detach_children_ = false;
  std::optional<Suspension> suspension_;
  std::optional<Interruption> interruption_;
  std::vector<Event> unwritten_;
  /// unwritten_ holds a step's outcome (a result the body may already have acted on).
  bool results_unwritten_ = false;
  /// Inbox entries this execution delivered and has not written yet.
  std::set<std::int64_t> delivered_;
  /// The answers workflow::patched gave in this context, by change ID.
  std::map<std::string, bool, std::less<>> patches_;
  StreamWriters stream_writers_;
  std::vector<std::shared_ptr<const void>> kept_;
};

/// The step attempt running on this thread, or null.
const StepMetadata* current_step();
/// The run whose workflow body or step runs on this thread, or null.
const WorkflowMetadata* current_workflow_metadata();

}  // namespace workflow::detail
