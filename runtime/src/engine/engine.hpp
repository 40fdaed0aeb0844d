// The engine of one process: the journal store, the group-commit writer, the worker threads that
// execute runs, and the scheduler that claims due runs. Glossary: docs/architecture.md.
//
// Thread safety: every public member may be called from any thread.
#pragma once

#include "engine/registry.hpp"
#include "engine/running_steps.hpp"
#include "metrics/worker_metrics.hpp"
#include "engine/write_queue.hpp"
#include "store/event_payloads.hpp"
#include "store/journal_store.hpp"

#include <workflow/config.hpp>
#include <workflow/start.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace prometheus {
class Exposer;
}

namespace workflow::detail {

class Scheduler;
class ScheduleTicker;
class RetentionThread;

class Engine {
 public:
  explicit Engine(const Config& config);
  /// Graceful shutdown: see workflow::shutdown().
  ~Engine();

  /// This process's engine, started with the configured settings on first use.
  static std::shared_ptr<Engine> instance();
  /// Sets the configuration of the engine `instance()` will start.
  static void configure(const Config& config);
  /// Stops the engine `instance()` started, if any.
  static void shutdown_instance();

  JournalStore& store() { return *store_; }
  /// The deployment this process's workers execute runs of.
  const std::string& deployment_id() const { return config_.deployment_id; }
  WriteQueue& writes() { return *writes_; }
  RunningSteps& running_steps() { return running_steps_; }
  WorkerMetrics& metrics() { return metrics_; }
  /// The port this worker serves its metrics on, if it does (Config::metrics_address).
  std::optional<int> metrics_port() const;
  const std::string& identity() const { return identity_; }
  const Config& config() const { return config_; }
  bool stopping() const { return stopping_.load(); }
  const std::vector<std::string>& workflow_ids() const { return workflow_ids_; }

  // --- operations on runs (the public API calls these) ---
  /// Creates the run (or finds the one `options.id` names). `workflow_id` must be registered by
  /// this process or, for tools that start runs for others, by some deployment.
  std::string start_run(const StartOptions& options, const std::string& workflow_id,
                        Json arguments, const std::string& parent_run_id = {});
  /// Starts a child run of `parent_run_id`, in the same transaction as the check that this worker
  /// still holds the parent in `parent_attempt`; returns false (and starts nothing) if it does not.
  /// `detached`: cancelling the parent leaves the child running.
  bool start_child_run(const StartOptions& options, const std::string& workflow_id, Json arguments,
                       const std::string& parent_run_id, int parent_attempt, bool detached = false);
  /// Starts a run of `workflow_id` for each `{id, arguments}` (an empty ID: a new one), all in one
  /// transaction and one durable commit; returns their IDs in order. A known ID is returned as
  /// it is (idempotent); one that names another workflow's run throws InvalidTransitionError
  /// after the others were started. At most kMaxBatchStart runs.
  /// `options` but its `id` apply to every run.
  std::vector<std::string> start_batch(const StartOptions& options, const std::string& workflow_id,
                                       std::vector<std::pair<std::string, Json>> runs);
  static constexpr std::size_t kMaxBatchStart = 10000;
  std::optional<RunRecord> find_run(std::string_view run_id);
  RunRecord require_run(std::string_view run_id);
  /// Declares (or re-declares) a queue in the journal (docs/queues.md).
  void declare_queue(const QueueRecord& queue);
  /// Cancels the run and, in the same transaction, its unfinished descendants not started detached.
  void cancel(std::string_view run_id);
  /// Pauses the run: no further step starts (a running step finishes and records its result)
  /// and timers do not fire until resume(). Pausing a paused run does nothing.
  void pause(std::string_view run_id);
  /// Lets a paused run go on from where it stopped.
  void resume(std::string_view run_id);
  /// Starts the run over as a new attempt, whatever its status; the journal keeps the old one.
  void restart(std::string_view run_id);
  /// Appends an external event to the run's inbox; a run waiting for events becomes due.
  void send_event(std::string_view run_id, std::string_view type, const Json& payload);
  std::size_t wake_up(std::string_view run_id, const std::vector<std::string>& correlation_ids);
  /// Blocks until the run is final; throws TimeoutError after `timeout`.
  RunRecord wait_until_final(std::string_view run_id,
                             std::optional<std::chrono::milliseconds> timeout);

  // --- used by the scheduler and the executor ---
  /// Hands a run this worker owns to the worker threads. `journal`: its events, when the caller
  /// knows them (a run it just created), which spares the worker a read.
  void enqueue(RunRecord run, std::optional<std::vector<Event>> journal = std::nullopt);
  /// How many more runs the workers could take now.
  std::size_t free_capacity();
  /// A run becomes due at `ready_at`.
  void hint(TimePoint ready_at);
  /// How many journal changes this engine knows of: its own commits and, as the store reports
  /// them, other processes'.
  std::uint64_t journal_changes();
  /// Blocks until journal_changes() exceeds `seen`, or until `deadline`; returns it. Lets readers
  /// (return_value, stream tails) follow the journal without polling it.
  std::uint64_t wait_for_journal_change(std::uint64_t seen, TimePoint deadline);
  /// The cancellation flag of an execution of `run`'s current attempt, registering it; null if
  /// that attempt already executes here (the run is then executed again when it ends).
  std::shared_ptr<std::atomic<bool>> begin_execution(const RunRecord& run);
  void end_execution(const std::string& run_id, int attempt);
  /// Remembers a run whose release failed; the scheduler tries again at its next heartbeat.
  void release_later(const std::string& run_id, int attempt);
  std::vector<std::pair<std::string, int>> take_pending_releases();
  /// Whether the run is queued or executing here (or to be executed again).
  bool holds_locally(const std::string& run_id);
  /// Raises the cancellation flag of the run's executions here whose attempt is below `below_attempt`.
  void stop_executions(const std::string& run_id, int below_attempt);

 private:
  // Schedules start runs with the engine's own start, inside their transaction.
  friend class ScheduleFiring;
  friend class ScheduleTicker;
  void worker_loop();
  void watch_other_processes();
  /// Asks the steps executing here of runs this engine no longer holds (another process cancelled,
  /// restarted or took them) to stop, rather than at their run's next write.
  void stop_steps_of_lost_runs();
  void note_journal_change();
  /// A run about to be started: its records, computed once, and where a write put it.
  struct PlannedStart {
    RunRecord run;
    payload::RunCreated creation;
    Event created;
    bool latest = false;
    bool registered_here = false;
    std::string deployment_before;
    bool local_before = false;
    /// Set by write_start: executed by this process's workers; or the run the ID already named.
    bool local = false;
    std::optional<RunRecord> existing;
    /// The run's place in its queue; its `queue` is empty for a run started into none.
    QueueEntry entry;
  };
  PlannedStart plan_start(const StartOptions& options, const std::string& workflow_id, Json arguments,
                          const std::string& parent_run_id = {});
  /// Inserts the planned run unless its ID exists; `registrations`: the journal's, read once per
  /// transaction when a run goes to the latest deployment.
  void write_start(StoreTransaction& transaction, PlannedStart& plan,
                   std::optional<std::vector<WorkflowRegistration>>& registrations,
                   std::optional<std::vector<QueueRecord>>& queues);
  /// Queues (engine/queues.cpp): the planned run's place in its queue, if it names one.
  static void plan_queue_entry(const StartOptions& options, PlannedStart& plan);
  /// Throws ConfigurationError, naming the queue, unless it is declared in the journal.
  static void check_queue_declared(StoreTransaction& transaction, const PlannedStart& plan,
                                   std::optional<std::vector<QueueRecord>>& queues);
  /// After the commit: the run's ID, handed to this process's workers if they execute it.
  std::string finish_start(PlannedStart& plan);
  std::optional<std::string> start_run_fenced(const StartOptions& options, const std::string& workflow_id,
                                              Json arguments, const std::string& parent_run_id,
                                              std::optional<int> parent_attempt, bool detached = false);

  Config config_;
  std::string identity_;
  std::vector<std::string> workflow_ids_;
  std::unique_ptr<JournalStore> store_;
  std::unique_ptr<WriteQueue> writes_;
  std::atomic<bool> stopping_{false};

  std::mutex ready_mutex_;
  std::condition_variable ready_changed_;
  std::deque<std::pair<RunRecord, std::optional<std::vector<Event>>>> ready_;
  /// run ID -> attempt -> cancellation flag of the execution of that attempt.
  std::unordered_map<std::string, std::map<int, std::shared_ptr<std::atomic<bool>>>> executing_;
  std::unordered_map<std::string, RunRecord> claimed_again_;
  /// Runs a worker thread has taken from ready_ and not yet finished with.
  std::unordered_multiset<std::string> in_hand_;
  std::vector<std::pair<std::string, int>> pending_releases_;
  /// Executions registered in executing_ (a run may have several attempts executing).
  std::size_t executions_ = 0;
  std::vector<std::thread> workers_;

  std::mutex changes_mutex_;
  std::condition_variable journal_changed_;
  std::uint64_t journal_changes_ = 0;
  std::thread change_watcher_;

  RunningSteps running_steps_;
  WorkerMetrics metrics_;
  std::unique_ptr<prometheus::Exposer> metrics_exposer_;
  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<ScheduleTicker> schedule_ticker_;
  std::unique_ptr<RetentionThread> retention_thread_;
};

}  // namespace workflow::detail
