// The Run handle: observe and control one run from any thread or process.
#pragma once

#include <workflow/context.hpp>
#include <workflow/run_status.hpp>
#include <workflow/serialization.hpp>
#include <workflow/streams.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace workflow {

/// One entry of a run's journal, in the Workflow SDK's vocabulary (`run_created`,
/// `step_completed`, `wait_created`, ...). The format is specified in docs/journal.md.
struct RunEvent {
  std::string type;
  /// The call inside the run (`step-2`, `wait-3`); empty for events of the run itself.
  std::string correlation_id;
  /// The step's stable ID, for step events.
  std::string step_name;
  Json data;
  TimePoint created_at;
};

/// Untyped operations on a run. Every call reads or writes the journal, so a handle is cheap to
/// copy and stays valid across processes; it holds only the run ID.
class RunHandle {
 public:
  explicit RunHandle(std::string run_id) : run_id_(std::move(run_id)) {}

  const std::string& run_id() const { return run_id_; }
  /// Whether the journal knows this run.
  bool exists() const;
  /// Throws RunNotFoundError for an unknown run (as do the accessors below).
  RunStatus status() const;
  /// The workflow's stable ID.
  std::string workflow_name() const;
  TimePoint created_at() const;
  /// When the run first started executing, if it has.
  std::optional<TimePoint> started_at() const;
  /// The run that started this one as a child workflow, if any.
  std::optional<std::string> parent_run_id() const;
  /// When the run reached a final status, if it has.
  std::optional<TimePoint> completed_at() const;

  /// The run's journal, oldest first.
  std::vector<RunEvent> events() const;

  /// Cancels the run: a running step finishes, nothing further runs, waiters get
  /// RunCancelledError. Cancelling a cancelled run does nothing; a completed or failed one throws
  /// InvalidTransitionError.
  void cancel() const;

  /// Pauses the run: no further step starts (a step already running finishes and its result is
  /// recorded) and its timers do not fire until resume(). Pausing a paused run does nothing; an
  /// ended run throws InvalidTransitionError and nothing is recorded.
  void pause() const;
  /// Lets a paused run continue where it stopped; throws InvalidTransitionError unless paused.
  void resume() const;
  /// Starts the run again from the beginning as a new attempt (any status; a running attempt is
  /// stopped at its next call). The journal keeps the earlier attempts for inspection; the new
  /// one's calls are keyed `a2/step-1`, ...
  void restart() const;

  /// Ends the run's pending sleeps now (only those named, if `correlation_ids` is not empty) and
  /// returns how many it ended.
  std::size_t wake_up(const std::vector<std::string>& correlation_ids = {}) const;

  /// Delivers an external event to the run, from any process: the next
  /// `workflow::wait_for_event(type)` in the workflow receives `payload`. Events sent before the
  /// workflow waits are kept, in order; each is delivered once. Throws RunNotFoundError, or
  /// InvalidTransitionError when the run has already ended (nothing is recorded then).
  void send_event(std::string_view type, const Json& payload = Json::object()) const;
  /// The same with any serializable payload.
  template <class T>
  void send_event(std::string_view type, const T& payload) const {
    send_event(type, detail::to_journal(payload));
  }

  /// A reader of the run's stream `options.name_space`, from `options.start_index`: the chunks
  /// written so far, then new ones as they come, until the stream is closed or the run ends.
  StreamReader get_readable(const ReadableOptions& options = {}) const;
  /// The streams the run has written to.
  std::vector<StreamInfo> streams() const;

  /// Blocks until the run ends and returns its output as JSON; throws RunFailedError or
  /// RunCancelledError.
  Json return_json() const;
  /// As above, but throws TimeoutError after `timeout`.
  Json return_json(std::chrono::milliseconds timeout) const;

 private:
  std::string run_id_;
};

/// A handle whose `return_value()` has the workflow's return type `R`. `Run<>` is untyped.
template <class R = Json>
class Run : public RunHandle {
 public:
  using RunHandle::RunHandle;

  /// Blocks until the run ends; throws RunFailedError or RunCancelledError.
  R return_value() const { return detail::from_journal<R>(return_json()); }
  /// As above, but throws TimeoutError after `timeout`.
  R return_value(std::chrono::milliseconds timeout) const {
    return detail::from_journal<R>(return_json(timeout));
  }
};

/// A handle on the run `run_id`, started by any process sharing the journal. Check `exists()`.
Run<> get_run(std::string run_id);

}  // namespace workflow
