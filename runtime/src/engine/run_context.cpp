// Replay and live execution of step calls and sleeps.
#include "engine/run_context.hpp"

#include <workflow/detail/bounded_json.hpp>

#include "engine/event_inbox.hpp"

#include "engine/engine.hpp"
#include "engine/fenced_write.hpp"
#include "engine/pending_commits.hpp"
#include "log/logger.hpp"

#include <workflow/errors.hpp>

#include <cmath>
#include <functional>
#include <future>
#include <thread>

namespace workflow::detail {
namespace {

thread_local RunContext* t_context = nullptr;
thread_local const StepMetadata* t_step = nullptr;
thread_local const WorkflowMetadata* t_workflow = nullptr;
thread_local StreamWriters* t_step_streams = nullptr;

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ULL;
  return hash;
}

// Makes step (and run) metadata visible to the step body on whatever thread runs it.
class StepScope {
 public:
  StepScope(const StepMetadata& step, const WorkflowMetadata& workflow, const StreamWriters& run_streams,
            std::shared_ptr<AttemptGate> attempt_gate = nullptr)
      : previous_step_(t_step), previous_workflow_(t_workflow), previous_streams_(t_step_streams) {
    t_step = &step;
    t_workflow = &workflow;
    streams_.engine = run_streams.engine;
    streams_.run_attempt = run_streams.run_attempt;
    streams_.attempt_gate = std::move(attempt_gate);
    // The correlation ID is the same on every attempt, so a retry's chunks have the same keys.
    streams_.key_base = step.step_id.substr(step.run_id.size() + 1);
    t_step_streams = &streams_;
  }
  /// The step's chunks must be committed before its result is: a failure here fails the attempt.
  void flush_streams() { streams_.flush_all(); }
  ~StepScope() {
    t_step = previous_step_;
    t_workflow = previous_workflow_;
    t_step_streams = previous_streams_;
  }

 private:
  const StepMetadata* previous_step_;
  const WorkflowMetadata* previous_workflow_;
  StreamWriters* previous_streams_;
  StreamWriters streams_;
};

// Why a fenced write's execution must stop, if it must.
std::optional<Interruption::Reason> refusal_of(FenceResult result) {
  switch (result) {
    case FenceResult::written: return std::nullopt;
    case FenceResult::paused: return Interruption::Reason::paused;
    case FenceResult::cancelled: return Interruption::Reason::cancelled;
    case FenceResult::lost: return Interruption::Reason::lease_lost;
  }
  return std::nullopt;
}

// Recorded only when set: journals before stop tokens have no such key.
std::optional<bool> abandoned_flag(bool abandoned) { return abandoned ? std::optional<bool>(true) : std::nullopt; }

// Registers a step attempt with the engine for as long as it executes, so that a cancel,
// restart or takeover of its run asks it to stop. Not in a replay check, which runs no step.
class RunningStep {
 public:
  RunningStep(Engine* engine, const std::string& run_id, int run_attempt, const std::stop_source& stop)
      : engine_(engine), key_(engine ? engine->running_steps().add(run_id, run_attempt, stop) : 0) {}
  ~RunningStep() {
    if (engine_) engine_->running_steps().remove(key_);
  }
  RunningStep(const RunningStep&) = delete;
  RunningStep& operator=(const RunningStep&) = delete;

 private:
  Engine* engine_;
  std::uint64_t key_;
};

std::chrono::milliseconds backoff_delay(const StepOptions& options, int failed_attempts) {
  double delay = static_cast<double>(options.initial_delay.count()) *
                 std::pow(options.backoff, std::max(0, failed_attempts - 1));
  double limit = static_cast<double>(options.max_delay.count());
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::min(delay, limit)));
}

// An attempt that overran its timeout: `abandoned` when it was still running once its stop grace
// had passed too.
struct AttemptTimedOut : std::runtime_error {
  AttemptTimedOut(std::chrono::milliseconds timeout, std::chrono::milliseconds grace, bool abandoned)
      : std::runtime_error("attempt timed out after " + std::to_string(timeout.count()) + " ms" +
                           (abandoned ? "; it was still running " + std::to_string(grace.count()) +
                                            " ms after being asked to stop (StepMetadata::stop_token) and was abandoned"
                                      : "")),
        abandoned(abandoned) {}
  bool abandoned;
};

// Runs an attempt on its own thread so that it can be abandoned when it overruns its timeout.
// Everything the thread touches is copied into it, or shared with it, except the engine, which it
// reaches through the gate (attempt_gate.hpp): the thread is not joined and may outlive it.
// At the timeout the attempt is asked to stop (`stop`, whose token `step` carries) and given a
// grace as long again as its timeout, at most a second, to end; then it is abandoned.
Json run_with_timeout(JournalInvoker invoke, const Json& input, const StepMetadata& step,
                      const WorkflowMetadata& workflow, const StreamWriters& run_streams,
                      std::chrono::milliseconds timeout, std::stop_source stop) {
  auto promise = std::make_shared<std::promise<Json>>();
  auto result = promise->get_future();
  auto gate = std::make_shared<AttemptGate>();
  std::thread([promise, invoke, input, step, workflow, run_streams = StreamWriters{run_streams.engine,
                                                                                  run_streams.run_attempt},
               gate] {
    StepScope scope(step, workflow, run_streams, gate);
    try {
      auto output = invoke(input);
      scope.flush_streams();
      promise->set_value(std::move(output));
    } catch (...) {
      promise->set_exception(std::current_exception());
    }
  }).detach();
  if (result.wait_for(timeout) == std::future_status::timeout) {
    // The attempt runs on, but what it streams from now on would race the retry's chunks, and
    // this worker, then the engine, may be gone before it ends: it uses the engine no more.
    gate->abandon();
    stop.request_stop();
    auto grace = std::min(timeout, std::chrono::milliseconds(std::chrono::seconds(1)));
    bool abandoned = result.wait_for(grace) == std::future_status::timeout;
    throw AttemptTimedOut(timeout, grace, abandoned);
  }
  return result.get();
}

}  // namespace

RunContext::RunContext(Engine& engine, RunRecord run, const std::vector<Event>& events,
                       std::shared_ptr<std::atomic<bool>> cancel_requested)
    : RunContext(&engine, nullptr, std::move(run), events, std::move(cancel_requested)) {}

RunContext::RunContext(RunRecord run, const std::vector<Event>& events, std::shared_ptr<ReplayCheck> check)
    : RunContext(nullptr, std::move(check), std::move(run), events, nullptr) {}

RunContext::RunContext(Engine* engine, std::shared_ptr<ReplayCheck> check, RunRecord run,
                       const std::vector<Event>& events, std::shared_ptr<std::atomic<bool>> cancel_requested)
    : engine_(engine),
      check_(std::move(check)),
      run_(std::move(run)),
      journal_(std::make_shared<const ReplayJournal>(events)),
      cancel_requested_(std::move(cancel_requested)),
      clock_(run_.created_at),
      random_state_(fnv1a(run_.id + journal_->attempt_prefix())) {
  // The body gets its input from the executor, and a context never reads the run's payloads:
  // without them, each of a parallel_map's thousands of branch contexts copies a small record.
  run_.input = Json();
  run_.output = Json();
  run_.error = Json();
  correlation_prefix_ = journal_->attempt_prefix();
  init_stream_writers();
  metadata_.run_id = run_.id;
  metadata_.workflow_name = run_.workflow_name;
  metadata_.created_at = run_.created_at;
  metadata_.recovery_count = run_.recovery_count;
}

RunContext::RunContext(const RunContext& parent, std::int64_t position, int branch)
    : engine_(parent.engine_),
      check_(parent.check_),
      run_(parent.run_),
      journal_(parent.journal_),
      cancel_requested_(parent.cancel_requested_),
      metadata_(parent.metadata_),
      // The random stream below is seeded from the call's number as journals numbered it before
      // keys were strings, so runs recorded then draw the same values in nested branches.
      legacy_position_base_(((parent.legacy_position_base_ + static_cast<std::uint64_t>(position)) << 20) +
                            (static_cast<std::uint64_t>(branch + 1) << 10)),
      correlation_prefix_(parent.correlation_prefix_ + "p" + std::to_string(position) + "." +
                          std::to_string(branch + 1) + "/"),
      clock_(parent.clock_),
      random_state_(parent.random_state_ ^
                    fnv1a(std::to_string(static_cast<std::int64_t>(parent.legacy_position_base_ +
                                                                   static_cast<std::uint64_t>(position))) +
                          "." + std::to_string(branch))),
      live_step_ran_(parent.live_step_ran_),
      live_since_(parent.live_since_),
      detach_children_(parent.detach_children_),
      patches_(parent.patches_) {
  init_stream_writers();
}

void RunContext::init_stream_writers() {
  stream_writers_.engine = engine_;
  stream_writers_.run_attempt = run_.attempt;
  stream_writers_.key_base = correlation_prefix_ + "body";
}

std::string RunContext::correlation(const char* kind, std::int64_t position) const {
  return correlation_prefix_ + kind + "-" + std::to_string(position);
}

const RecordedCall* RunContext::recorded_call(std::int64_t position) const {
  return journal_->find(call_key(correlation_prefix_, position));
}

RunContext* RunContext::current() { return t_context; }

RunContext::Scope::Scope(RunContext& context) {
  t_context = &context;
  t_workflow = &context.metadata_;
}

RunContext::Scope::~Scope() {
  t_context = nullptr;
  t_workflow = nullptr;
}

const StepMetadata* current_step() { return t_step; }

StreamWriters* current_step_stream_writers() { return t_step_streams; }

const WorkflowMetadata* current_workflow_metadata() { return t_workflow; }

bool RunContext::enter(std::string_view workflow_id) {
  if (!entry_permitted_ || workflow_id != run_.workflow_name) return false;
  entry_permitted_ = false;
  return true;
}

std::uint64_t RunContext::next_random() {
  check_can_continue();
  return splitmix64(random_state_);
}

Event RunContext::make_event(EventType type, Json data, std::string correlation_id,
                             std::int64_t position, std::string step_name) const {
  Event event;
  event.run_id = run_.id;
  event.type = type;
  event.correlation_id = std::move(correlation_id);
  event.position = position;
  event.step_name = std::move(step_name);
  event.data = std::move(data);
  event.created_at = wall_now();
  return event;
}

std::vector<Event> RunContext::take_unwritten() {
  results_unwritten_ = false;
  return std::exchange(unwritten_, {});
}

void RunContext::check_can_continue() {
  // A suspension swallowed by user code (catch (...)) must not let the body run on.
  if (suspension_) throw Suspension(*suspension_);
  if (interruption_) throw Interruption(*interruption_);
  if (cancel_requested_ && cancel_requested_->load()) interrupt(Interruption::Reason::cancelled);
  if (engine_ && engine_->stopping()) interrupt(Interruption::Reason::shutdown);
}

void RunContext::storage_failed() {
  if (!interruption_) interruption_ = Interruption{Interruption::Reason::storage_failed};
}

void RunContext::interrupt(Interruption::Reason reason) {
  interruption_ = Interruption{reason};
  throw Interruption(*interruption_);
}

void RunContext::suspend(Suspension suspension) {
  suspension_ = std::move(suspension);
  throw Suspension(*suspension_);
}

void RunContext::non_determinism(std::int64_t position, const std::string& correlation_id,
                                 const std::string& recorded, std::string_view attempted,
                                 const std::source_location* where) const {
  std::string location = where ? std::string(where->file_name()) + ":" + std::to_string(where->line()) : "";
  std::string message =
      "run " + run_.id + ": non-determinism at call #" + std::to_string(position) + " (" + correlation_id +
      "): the journal recorded " + recorded + ", but the workflow now " + std::string(attempted) +
      (location.empty() ? "" : " (" + location + ")") +
      "; the workflow's code or its inputs to control flow changed while the run was in flight "
      "(branch on workflow::patched(\"<change-id>\") to keep the old path for old runs, or keep them on "
      "their deployment: docs/versioning.md)";
  if (check_) check_->diverged({correlation_id, position, recorded, std::string(attempted), location}, message);
  throw NonDeterminismError(message);
}

RunContext::Call RunContext::begin_call(const char* correlation_kind, RecordedCall::Kind kind, std::string_view name,
                                        std::string_view attempted, const std::source_location& where) {
  check_can_continue();
  std::int64_t position = next_position_++;
  std::string correlation_id = correlation(correlation_kind, position);
  const RecordedCall* recorded = recorded_call(position);
  if (recorded && (recorded->kind != kind || recorded->name != name))
    non_determinism(position, recorded->correlation_id, recorded->describe(), attempted, &where);
  if (check_ && !recorded) {
    // An ended run recorded every call it made: one it did not record means the code changed.
    if (journal_->has_run_ended()) non_determinism(position, correlation_id, "the run's end", attempted, &where);
    replay_frontier();
  }
  if (check_) check_->replayed();
  if (!recorded) note_live();
  return {position, std::move(correlation_id), recorded};
}

void RunContext::note_live() {
  std::int64_t unset = 0;
  auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  live_since_->compare_exchange_strong(unset, now);
}

std::optional<std::chrono::steady_clock::time_point> RunContext::live_since() const {
  auto since = live_since_->load();
  if (since == 0) return std::nullopt;
  return std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(since));
}

void RunContext::replay_frontier() { suspend({std::nullopt, RunStatus::waiting}); }

void RunContext::check_ended_here() {
  if (const RecordedCall* recorded = journal_->first_at_or_after(correlation_prefix_, next_position_))
    non_determinism(next_position_, recorded->correlation_id, recorded->describe(), "ends (returns or throws)",
                    nullptr);
}

bool RunContext::patched(std::string_view change_id) {
  check_can_continue();
  if (auto known = patches_.find(change_id); known != patches_.end()) return known->second;
  std::int64_t position = next_position_;
  const RecordedCall* recorded = recorded_call(position);
  bool answer;
  if (recorded && recorded->kind == RecordedCall::Kind::patch && recorded->name == change_id) {
    ++next_position_;
    answer = true;
  } else if (recorded || journal_->has_run_ended()) {
    // The run went past this point before the change (or ended without reaching it).
    answer = false;
  } else {
    // A replay check stops here unless the run went on past this point: then only the marker's
    // commit was lost (it is written with the next commit, which branches may precede), and the
    // live answer would be true as well.
    if (check_ && !journal_->first_at_or_after(correlation_prefix_, position + 1)) replay_frontier();
    ++next_position_;
    // Written with the next commit: if it is lost, replay finds nothing here and answers the same.
    unwritten_.push_back(make_event(payload::PatchRecorded{std::string(change_id)}, correlation("patch", position),
                                    position, std::string(change_id)));
    answer = true;
  }
  patches_.emplace(std::string(change_id), answer);
  return answer;
}

void RunContext::deprecate_patch(std::string_view change_id) {
  check_can_continue();
  const RecordedCall* recorded = recorded_call(next_position_);
  if (recorded && recorded->kind == RecordedCall::Kind::patch && recorded->name == change_id) ++next_position_;
}

void RunContext::flush_results() {
  if (results_unwritten_) commit({});
}

void RunContext::commit(std::vector<Event> events) {
  auto batch = take_unwritten();
  batch.insert(batch.end(), std::make_move_iterator(events.begin()),
               std::make_move_iterator(events.end()));
  FenceResult result = FenceResult::lost;
  try {
    engine_->writes().run([&](StoreTransaction& transaction) {
      result = write_if_owned(transaction, run_.id, run_.workflow_name, engine_->identity(), run_.attempt, batch);
    });
  } catch (const StorageError& error) {
    // Not the workflow's failure: the run goes back to the journal and resumes from there.
    log_message(LogLevel::warn, "run " + run_.id + ": " + error.what() + " (the run is handed back and resumes)", run_.id);
    interrupt(Interruption::Reason::storage_failed);
  }
  if (auto refusal = refusal_of(result)) interrupt(*refusal);
}

void RunContext::commit_later(PendingCommits& commits) {
  // Shared: the write may run again (write_queue.hpp), and must write the same events then.
  auto batch = std::make_shared<const std::vector<Event>>(take_unwritten());
  if (batch->empty()) return;
  auto result = std::make_shared<FenceResult>(FenceResult::lost);
  commits.add();
  engine_->writes().post(
      [batch, result, run_id = run_.id, workflow = run_.workflow_name, owner = engine_->identity(),
       attempt = run_.attempt](StoreTransaction& t) {
        *result = write_if_owned(t, run_id, workflow, owner, attempt, *batch);
      },
      WriteQueue::Durability::durable,
      [&commits, result, run_id = run_.id](std::exception_ptr error) {
        if (!error) return commits.done(refusal_of(*result));
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& failure) {
          log_message(LogLevel::warn, "run " + run_id + ": " + failure.what() + " (the run is handed back and resumes)",
                      run_id);
        }
        commits.done(Interruption::Reason::storage_failed);
      });
}

RunContext::AttemptOutcome RunContext::run_attempt(const StepMetadata& metadata, const Json& input,
                                                   StepBody body, JournalInvoker invoke,
                                                   const StepOptions& options) {
  AttemptOutcome outcome;
  StepMetadata step = metadata;
  std::stop_source stop;
  step.stop_token = stop.get_token();
  RunningStep running(engine_, run_.id, run_.attempt, stop);
  try {
    if (options.timeout.count() > 0) {
      outcome.output = run_with_timeout(invoke, input, step, metadata_, stream_writers_, options.timeout, stop);
    } else {
      StepScope scope(step, metadata_, stream_writers_);
      outcome.output = body.run(body.state);
      scope.flush_streams();
    }
  } catch (const FatalError& error) {
    outcome.error = error.what();
    outcome.fatal = true;
  } catch (const RetryableError& error) {
    outcome.error = error.what();
    outcome.retry_after = error.retry_after();
  } catch (const AttemptTimedOut& error) {
    outcome.error = error.what();
    outcome.abandoned = error.abandoned;
  } catch (const std::exception& error) {
    outcome.error = error.what();
  } catch (...) {
    outcome.error = "the step threw an exception not derived from std::exception";
  }
  // Recorded, it could not be read back (journal records are read with a bound on nesting): the
  // same result would come every time, so the step fails at once.
  if (outcome.output && nests_deeper_than(*outcome.output, kMaxJsonDepth)) {
    outcome.output.reset();
    outcome.error = "the step's result nests deeper than " + std::to_string(kMaxJsonDepth) +
                    " arrays and objects, more than the journal reads back";
    outcome.fatal = true;
  }
  return outcome;
}

Json RunContext::dispatch_step(std::string_view step_name, const Json& input, StepBody body,
                               JournalInvoker invoke, const StepOptions& options, const std::source_location& where) {
  std::string name(step_name);
  auto [position, correlation_id, recorded] =
      begin_call("step", RecordedCall::Kind::step, name, "calls step '" + name + "'", where);
  int failed_attempts = 0;
  if (recorded) {
    clock_ = std::max(clock_, recorded->last_event_at);
    if (recorded->result) return *recorded->result;
    if (recorded->final_error)
      throw StepFailedError(run_.id, name, correlation_id, recorded->final_error->attempts,
                            recorded->final_error->message.empty() ? "step failed" : recorded->final_error->message);
    if (check_) replay_frontier();
    failed_attempts = recorded->failed_attempts;
    if (recorded->retry_at && *recorded->retry_at > wall_now())
      suspend({*recorded->retry_at, RunStatus::running});
  }

  flush_results();  // this step's body may act on what earlier steps returned
  // The first live step after a takeover may be the one the dead worker was running.
  int attempt = failed_attempts + 1 + (run_.recovery_count > 0 && !live_step_ran_ ? 1 : 0);
  live_step_ran_ = true;
  StepMetadata step{run_.id, run_.workflow_name, name, run_.id + "/" + correlation_id, attempt};
  auto started = make_event(payload::StepStarted{attempt, input}, correlation_id, position, name);
  note_live();
  auto attempt_began = std::chrono::steady_clock::now();
  auto outcome = run_attempt(step, input, body, invoke, options);
  if (engine_) {
    const char* ended = outcome.output ? "completed"
                        : (outcome.fatal || failed_attempts + 1 > options.max_retries) ? "failed"
                                                                                         : "retrying";
    engine_->metrics().step_attempt(name, ended, std::chrono::steady_clock::now() - attempt_began, outcome.abandoned);
  }

  if (outcome.output) {
    auto completed = make_event(payload::StepCompleted{*outcome.output}, correlation_id, position, name);
    clock_ = std::max(clock_, completed.created_at);
    unwritten_.push_back(std::move(started));
    unwritten_.push_back(std::move(completed));
    results_unwritten_ = true;
    return std::move(*outcome.output);
  }
  ++failed_attempts;
  if (outcome.fatal || failed_attempts > options.max_retries) {
    auto failed = make_event(payload::StepFailed{outcome.error, attempt, outcome.fatal, abandoned_flag(outcome.abandoned)},
                             correlation_id, position, name);
    clock_ = std::max(clock_, failed.created_at);
    unwritten_.push_back(std::move(started));
    unwritten_.push_back(std::move(failed));
    results_unwritten_ = true;
    throw StepFailedError(run_.id, name, correlation_id, attempt, outcome.error);
  }
  auto delay = outcome.retry_after.count() > 0 ? outcome.retry_after
                                               : backoff_delay(options, failed_attempts);
  auto retry_at = wall_now() + delay;
  unwritten_.push_back(std::move(started));
  unwritten_.push_back(make_event(
      payload::StepRetrying{outcome.error, attempt, to_micros(retry_at), abandoned_flag(outcome.abandoned)}, correlation_id,
      position, name));
  suspend({retry_at, RunStatus::running});
}

void RunContext::sleep_until(TimePoint deadline, const std::source_location& where) {
  auto [position, correlation_id, recorded] = begin_call("wait", RecordedCall::Kind::wait, "", "sleeps", where);
  TimePoint resume_at = deadline;
  if (recorded) {
    if (recorded->wait_completed) {
      clock_ = std::max(clock_, recorded->last_event_at);
      return;
    }
    if (check_) replay_frontier();
    resume_at = recorded->resume_at.value_or(deadline);
  } else {
    unwritten_.push_back(make_event(payload::WaitCreated{to_micros(resume_at)}, correlation_id, position));
  }
  auto now = wall_now();
  if (resume_at > now) suspend({resume_at, RunStatus::waiting, {}, {}, {correlation_id}});
  auto completed = make_event(payload::WaitCompleted{}, correlation_id, position);
  completed.created_at = std::max(resume_at, clock_);
  clock_ = completed.created_at;
  // Written with the next commit: if it is lost, replay reaches the same conclusion again.
  unwritten_.push_back(std::move(completed));
}

Json RunContext::wait_for_event(std::string_view type, std::optional<std::chrono::milliseconds> timeout,
                                const std::source_location& where) {
  auto [position, correlation_id, recorded] = begin_call("hook", RecordedCall::Kind::event, type,
                                                         "waits for event '" + std::string(type) + "'", where);
  auto timed_out_error = [&] {
    return TimeoutError("run " + run_.id + ": no event '" + std::string(type) + "' arrived before the timeout (" +
                        correlation_id + ")");
  };
  std::optional<TimePoint> deadline;
  if (recorded) {
    if (recorded->delivered || recorded->wait_completed) {
      clock_ = std::max(clock_, recorded->last_event_at);
      if (recorded->delivered) return recorded->delivered->payload;
      throw timed_out_error();
    }
    if (check_) replay_frontier();
    deadline = recorded->resume_at;
  } else {
    if (timeout) deadline = wall_now() + *timeout;
    payload::EventWaiting waiting{std::string(type)};
    if (deadline) waiting.resume_at = to_micros(*deadline);
    unwritten_.push_back(make_event(waiting, correlation_id, position));
  }
  // Events sent after this execution read the journal are in the store, not in the replay.
  auto events = engine_->store().read()->events(run_.id);
  if (const Event* entry = first_undelivered(events, type, delivered_)) {
    payload::EventReceived delivered{std::string(type), payload::read<payload::EventReceived>(*entry).payload,
                                     entry->id};
    auto delivery = make_event(delivered, correlation_id, position);
    delivery.created_at = std::max(delivery.created_at, clock_);
    clock_ = delivery.created_at;
    delivered_.insert(entry->id);
    // Written with the next commit: if it is lost, replay delivers the same entry again.
    unwritten_.push_back(std::move(delivery));
    return std::move(delivered.payload);
  }
  if (deadline && *deadline <= wall_now()) {
    auto timed_out = make_event(payload::WaitCompleted{.timed_out = true}, correlation_id, position);
    timed_out.created_at = std::max(*deadline, clock_);
    clock_ = timed_out.created_at;
    unwritten_.push_back(std::move(timed_out));
    throw timed_out_error();
  }
  suspend({deadline, RunStatus::waiting, {std::string(type)}});
}

Json RunContext::call_child(std::string_view workflow_id, const Json& input, const std::source_location& where) {
  auto [position, correlation_id, recorded] =
      begin_call("child", RecordedCall::Kind::child, workflow_id,
                 "starts child workflow '" + std::string(workflow_id) + "'", where);
  // Deterministic, so a replay (or a retry after a crash) finds the same child.
  std::string child_id = run_.id + "-" + correlation_id;
  auto outcome_of = [&](const payload::ChildCompleted& outcome) -> Json {
    if (outcome.status == "completed") return outcome.output.value_or(Json());
    if (outcome.status == "cancelled") throw RunCancelledError(child_id);
    throw RunFailedError(child_id, outcome.error.value_or(Json::object()).value("message", std::string("unknown error")));
  };
  if (recorded) {
    if (recorded->child_outcome) {
      clock_ = std::max(clock_, recorded->last_event_at);
      return outcome_of(*recorded->child_outcome);
    }
    if (check_) replay_frontier();
  } else {
    unwritten_.push_back(make_event(payload::ChildStarted{child_id}, correlation_id, position, std::string(workflow_id)));
  }
  // The child start is durable on its own (starting it again by its ID is a no-op) and fenced like
  // every write of this run: an attempt that a restart replaced, or a worker that lost the run,
  // leaves no orphan child behind. It also covers a start recorded but never made.
  auto child = engine_->store().read()->find_run(child_id);
  if (!child) {
    flush_results();  // the child's arguments may come from them
    if (!engine_->start_child_run(StartOptions{.id = child_id, .deployment_id = run_.deployment_id},
                                  std::string(workflow_id), input, run_.id, run_.attempt, detach_children_))
      interrupt(Interruption::Reason::lease_lost);
    child = engine_->store().read()->find_run(child_id);
  }
  // A child whose record is damaged has no output anyone should act on: the parent fails too.
  if (child && is_final(child->status) && child->damage)
    throw DamagedRecordError(child_id, "the run's record", *child->damage);
  if (child && is_final(child->status)) {
    payload::ChildCompleted outcome{std::string(to_string(child->status))};
    if (child->status == RunStatus::completed) outcome.output = child->output;
    if (child->status == RunStatus::failed) outcome.error = child->error;
    auto completed = make_event(outcome, correlation_id, position, std::string(workflow_id));
    completed.created_at = std::max(completed.created_at, clock_);
    clock_ = completed.created_at;
    // Written with the next commit: if it is lost, replay reads the same child outcome again.
    unwritten_.push_back(std::move(completed));
    return outcome_of(outcome);
  }
  suspend({std::nullopt, RunStatus::waiting, {}, {child_id}});
}

}  // namespace workflow::detail
