// Engine lifecycle, the worker pool, and the run operations behind the public API.
#include "engine/engine.hpp"

#include "engine/commit_log.hpp"
#include "engine/queues.hpp"
#include "engine/run_wakeup.hpp"
#include "util/deployment.hpp"

#include "engine/fenced_write.hpp"
#include "engine/run_executor.hpp"
#include "engine/schedule_ticker.hpp"
#include "retention/retention_thread.hpp"
#include "engine/scheduler.hpp"
#include "engine/webhook_delivery.hpp"
#include "log/logger.hpp"
#include "store/event_payloads.hpp"
#include "util/ids.hpp"

#include <prometheus/exposer.h>
#include <prometheus/registry.h>

#include <workflow/detail/bounded_json.hpp>
#include <workflow/errors.hpp>

#include <algorithm>
#include <functional>
#include <cstdlib>
#include <limits>
#include <map>

namespace workflow::detail {
namespace {

std::mutex g_instance_mutex;
std::shared_ptr<Engine> g_instance;
std::optional<Config> g_config;

void validate_run_id(const std::string& id) {
  if (id.size() > 200)
    throw ConfigurationError("run ID '" + id.substr(0, 40) + "...' is longer than 200 characters");
  for (unsigned char c : id)
    if (c < 0x21 || c == 0x7f)
      throw ConfigurationError("run ID '" + id +
                               "' contains whitespace or control characters; use printable characters");
}

}  // namespace

Engine::Engine(const Config& config) : config_(config), identity_(new_worker_identity()) {
  if (config_.database.empty()) config_.database = default_config().database;
  if (config_.workers == 0) config_.workers = 1;
  if (config_.webhook_secret.empty()) config_.webhook_secret = default_config().webhook_secret;
  if (config_.deployment_id.empty()) config_.deployment_id = default_config().deployment_id;
  if (config_.deployment_id.empty()) config_.deployment_id = default_deployment_id();
  if (config_.log_level.empty()) config_.log_level = default_config().log_level;
  if (config_.log_format.empty()) config_.log_format = default_config().log_format;
  // First: what follows may log, and a bad setting is a configuration error like any other.
  configure_logging(config_.log_level, config_.log_format);
  if (!config_.retention) config_.retention = default_config().retention;
  if (auto conflicts = Registry::instance().conflicts(); !conflicts.empty())
    throw ConfigurationError("workflow registration conflict: " + conflicts.front() +
                             " (give one of them an explicit ID: [[workflow::step(\"...\")]])");
  store_ = open_journal_store(config_.database, config_.store, config_.execute_runs);
  writes_ = std::make_unique<WriteQueue>(*store_, [this] { note_journal_change(); },
                                         [this](std::size_t writes, std::chrono::steady_clock::duration took) {
                                           metrics_.commit(writes, took);
                                         });
  if (config_.execute_runs) {
    if (config_.metrics_address.empty()) config_.metrics_address = default_config().metrics_address;
    if (!config_.metrics_address.empty()) {
      try {
        metrics_exposer_ = std::make_unique<prometheus::Exposer>(config_.metrics_address, 2);
      } catch (const std::exception& error) {
        throw ConfigurationError("cannot serve metrics on '" + config_.metrics_address +
                                 "' (Config::metrics_address, WORKFLOW_METRICS_ADDRESS): " + error.what());
      }
      metrics_exposer_->RegisterCollectable(metrics_.registry());
      auto ports = metrics_exposer_->GetListeningPorts();
      auto host = config_.metrics_address.substr(0, config_.metrics_address.rfind(':'));
      std::string url = "http://" + host + ":" + std::to_string(ports.empty() ? 0 : ports.front()) + "/metrics";
      LogRecord record;
      record.message = "metrics on " + url;
      record.with("url", url);
      process_logger().log(record);
    }
    workflow_ids_ = Registry::instance().workflow_ids();
    if (!workflow_ids_.empty()) {
      auto now = wall_now();
      writes_->run([&](StoreTransaction& transaction) {
        for (auto& id : workflow_ids_) transaction.register_workflow({id, config_.deployment_id, now});
      }, WriteQueue::Durability::lazy);
    }
    for (unsigned i = 0; i < config_.workers; ++i) workers_.emplace_back([this] { worker_loop(); });
    scheduler_ = std::make_unique<Scheduler>(*this);
    schedule_ticker_ = std::make_unique<ScheduleTicker>(*this);
    if (config_.retention->count() > 0) retention_thread_ = std::make_unique<RetentionThread>(*this);
  }
  // Last: nothing above may throw once it runs (a constructor that throws would destroy it
  // running), and it uses the scheduler.
  change_watcher_ = std::thread([this] { watch_other_processes(); });
}

std::optional<int> Engine::metrics_port() const {
  if (!metrics_exposer_) return std::nullopt;
  auto ports = metrics_exposer_->GetListeningPorts();
  if (ports.empty()) return std::nullopt;
  return ports.front();
}

Engine::~Engine() {
  stopping_ = true;
  if (scheduler_) scheduler_->stop();
  schedule_ticker_.reset();
  retention_thread_.reset();
  store_->interrupt_waits();
  change_watcher_.join();
  ready_changed_.notify_all();
  for (auto& worker : workers_) worker.join();
  // Runs still queued or owned here go back to the pool at once instead of after the lease.
  if (config_.execute_runs) {
    try {
      writes_->run([&](StoreTransaction& transaction) {
        transaction.release_runs(identity_);
      }, WriteQueue::Durability::lazy);
    } catch (const std::exception&) {
      // The leases run out by themselves.
    }
  }
  writes_.reset();
}

std::shared_ptr<Engine> Engine::instance() {
  std::lock_guard lock(g_instance_mutex);
  if (!g_instance) {
    g_instance = std::make_shared<Engine>(g_config.value_or(default_config()));
    static bool at_exit_registered = (std::atexit([] { Engine::shutdown_instance(); }), true);
    (void)at_exit_registered;
  }
  return g_instance;
}

void Engine::configure(const Config& config) {
  std::lock_guard lock(g_instance_mutex);
  if (g_instance)
    throw ConfigurationError(
        "workflow::configure must be called before the engine starts (before the first "
        "workflow::start or get_run), or after workflow::shutdown()");
  g_config = config;
}

void Engine::shutdown_instance() {
  std::shared_ptr<Engine> engine;
  {
    std::lock_guard lock(g_instance_mutex);
    engine.swap(g_instance);
  }
  // The engine stops when the last user lets go of it; here, normally.
}

void Engine::worker_loop() {
  for (;;) {
    std::pair<RunRecord, std::optional<std::vector<Event>>> next;
    {
      std::unique_lock lock(ready_mutex_);
      ready_changed_.wait(lock, [this] { return stopping_ || !ready_.empty(); });
      if (stopping_) return;
      next = std::move(ready_.front());
      ready_.pop_front();
      in_hand_.insert(next.first.id);
    }
    std::string run_id = next.first.id;
    execute_run(*this, next.first, std::move(next.second));
    {
      std::lock_guard lock(ready_mutex_);
      in_hand_.erase(in_hand_.find(run_id));
    }
    if (scheduler_) scheduler_->capacity_available();
  }
}

void Engine::enqueue(RunRecord run, std::optional<std::vector<Event>> journal) {
  {
    std::lock_guard lock(ready_mutex_);
    ready_.emplace_back(std::move(run), std::move(journal));
  }
  ready_changed_.notify_one();
}

std::size_t Engine::free_capacity() {
  std::lock_guard lock(ready_mutex_);
  std::size_t busy = ready_.size() + executions_;
  std::size_t limit = 2 * static_cast<std::size_t>(config_.workers);
  return busy >= limit ? 0 : limit - busy;
}

void Engine::hint(TimePoint ready_at) {
  if (scheduler_) scheduler_->hint(ready_at);
}

std::shared_ptr<std::atomic<bool>> Engine::begin_execution(const RunRecord& run) {
  std::lock_guard lock(ready_mutex_);
  auto& attempts = executing_[run.id];
  auto [entry, inserted] = attempts.try_emplace(run.attempt, nullptr);
  if (!inserted) {
    // Claimed again while this attempt executes (after an interrupted write, say): the claim
    // must not be dropped, or the run would stay held by this worker's live lease with nobody
    // executing it. An older attempt still draining (a restart) does not hold the new one back.
    claimed_again_.insert_or_assign(run.id, run);
    return nullptr;
  }
  entry->second = std::make_shared<std::atomic<bool>>(false);
  ++executions_;
  return entry->second;
}

void Engine::end_execution(const std::string& run_id, int attempt) {
  std::optional<RunRecord> again;
  {
    std::lock_guard lock(ready_mutex_);
    if (auto found = executing_.find(run_id); found != executing_.end() && found->second.erase(attempt)) {
      --executions_;
      if (found->second.empty()) executing_.erase(found);
    }
    if (auto found = claimed_again_.find(run_id); found != claimed_again_.end() && found->second.attempt == attempt) {
      again = std::move(found->second);
      claimed_again_.erase(found);
    }
  }
  if (again) enqueue(std::move(*again));
}

void Engine::release_later(const std::string& run_id, int attempt) {
  std::lock_guard lock(ready_mutex_);
  pending_releases_.emplace_back(run_id, attempt);
}

std::vector<std::pair<std::string, int>> Engine::take_pending_releases() {
  std::lock_guard lock(ready_mutex_);
  std::vector<std::pair<std::string, int>> releases;
  for (auto& [run_id, attempt] : std::exchange(pending_releases_, {})) {
    // An execution of that attempt began here meanwhile: it holds the run rightly.
    auto found = executing_.find(run_id);
    if (found == executing_.end() || !found->second.count(attempt)) releases.emplace_back(run_id, attempt);
  }
  return releases;
}

bool Engine::holds_locally(const std::string& run_id) {
  std::lock_guard lock(ready_mutex_);
  if (in_hand_.count(run_id) || executing_.count(run_id) || claimed_again_.count(run_id)) return true;
  return std::any_of(ready_.begin(), ready_.end(), [&](const auto& entry) { return entry.first.id == run_id; });
}

void Engine::stop_executions(const std::string& run_id, int below_attempt) {
  {
    std::lock_guard lock(ready_mutex_);
    if (auto found = executing_.find(run_id); found != executing_.end()) {
      for (auto& [attempt, flag] : found->second) {
        if (attempt < below_attempt) flag->store(true);
      }
    }
  }
  running_steps_.stop(run_id, below_attempt);
}

void Engine::stop_steps_of_lost_runs() {
  auto steps = running_steps_.runs();
  if (steps.empty()) return;
  auto transaction = store_->read();
  for (const auto& [run_id, attempt] : steps) {
    if (!still_holds(transaction->fence(run_id), identity_, attempt)) running_steps_.stop(run_id, attempt + 1);
  }
}

// The one thread that waits on the store for other processes' commits (a 20 ms data-version poll
// on SQLite, notifications on PostgreSQL) and passes them on: to the scheduler, which claims what
// became due, and to readers waiting in wait_for_journal_change.
void Engine::watch_other_processes() {
  std::uint64_t seen = 0;
  while (!stopping_) {
    try {
      auto count = store_->wait_for_change(seen, wall_now() + std::chrono::seconds(1));
      if (count == seen) continue;
      seen = count;
    } catch (const std::exception&) {
      // The store could not look (a lost connection it is re-establishing): what changed
      // meanwhile is unknown, so everyone looks again.
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    note_journal_change();
    if (scheduler_) scheduler_->capacity_available();
    try {
      stop_steps_of_lost_runs();
    } catch (const std::exception&) {
      // Unread now, read at the next change: the steps' own writes are fenced meanwhile.
    }
  }
}

void Engine::note_journal_change() {
  {
    std::lock_guard lock(changes_mutex_);
    ++journal_changes_;
  }
  journal_changed_.notify_all();
}

std::uint64_t Engine::journal_changes() {
  std::lock_guard lock(changes_mutex_);
  return journal_changes_;
}

std::uint64_t Engine::wait_for_journal_change(std::uint64_t seen, TimePoint deadline) {
  std::unique_lock lock(changes_mutex_);
  journal_changed_.wait_until(lock, system_time(deadline), [&] { return journal_changes_ > seen; });
  return journal_changes_;
}

std::string Engine::start_run(const StartOptions& options, const std::string& workflow_id,
                              Json arguments, const std::string& parent_run_id) {
  return start_run_fenced(options, workflow_id, std::move(arguments), parent_run_id, std::nullopt).value();
}

bool Engine::start_child_run(const StartOptions& options, const std::string& workflow_id, Json arguments,
                             const std::string& parent_run_id, int parent_attempt, bool detached) {
  return start_run_fenced(options, workflow_id, std::move(arguments), parent_run_id, parent_attempt, detached)
      .has_value();
}

Engine::PlannedStart Engine::plan_start(const StartOptions& options, const std::string& workflow_id, Json arguments,
                                       const std::string& parent_run_id) {
  PlannedStart plan;
  std::string id = options.id.empty() ? new_run_id() : options.id;
  validate_run_id(id);
  if (!arguments.is_array())
    throw ConfigurationError("workflow " + workflow_id +
                             ": arguments must be a JSON array (one element per parameter), got " +
                             std::string(arguments.type_name()));
  // Whether this process has the workflow's code, and whether its workers execute it.
  bool known_here = Registry::instance().workflow(workflow_id) != nullptr;
  plan.registered_here = std::find(workflow_ids_.begin(), workflow_ids_.end(), workflow_id) != workflow_ids_.end();
  auto now = wall_now();
  RunRecord& run = plan.run;
  run.id = id;
  run.workflow_name = workflow_id;
  // Default: this process's deployment if it has the workflow, else the newest that registered it.
  plan.latest = options.deployment_id == "latest" || (options.deployment_id.empty() && !known_here);
  run.deployment_id = options.deployment_id.empty() || plan.latest ? config_.deployment_id : options.deployment_id;
  plan.local_before = plan.registered_here && !plan.latest && run.deployment_id == config_.deployment_id;
  plan.deployment_before = run.deployment_id;
  run.status = RunStatus::pending;
  run.parent_run_id = parent_run_id;
  run.input = std::move(arguments);
  if (nests_deeper_than(run.input, kMaxJsonDepth))
    throw ConfigurationError("the arguments of a run of " + run.workflow_name + " nest deeper than " +
                             std::to_string(kMaxJsonDepth) + " arrays and objects, more than the journal reads back");
  run.created_at = run.updated_at = now;
  run.ready_at = now;
  plan.creation = {run.workflow_name, run.deployment_id, run.input};
  if (!parent_run_id.empty()) plan.creation.parent_run_id = parent_run_id;
  plan_queue_entry(options, plan);
  plan.created.run_id = id;
  plan.created.type = EventType::run_created;
  plan.created.created_at = now;
  return plan;
}

void Engine::write_start(StoreTransaction& transaction, PlannedStart& plan,
                         std::optional<std::vector<WorkflowRegistration>>& registrations,
                         std::optional<std::vector<QueueRecord>>& queues) {
  RunRecord& run = plan.run;
  // The writer may run this again (a conflict, another write of the batch failing): each run
  // starts from the same values.
  run.deployment_id = plan.deployment_before;
  plan.local = plan.local_before;
  plan.existing.reset();
  auto lease_if_local = [&] {
    run.owner = plan.local ? identity_ : std::string();
    run.lease_expires_at = plan.local ? run.created_at + config_.lease : TimePoint{};
  };
  plan.existing = transaction.find_run(run.id);
  if (plan.existing) return;
  if (!plan.entry.queue.empty()) {
    check_queue_declared(transaction, plan, queues);
    if (!plan.entry.deduplication_id.empty()) {
      if (auto first = transaction.unfinished_duplicate(plan.entry.queue, plan.entry.deduplication_id)) {
        plan.existing = transaction.find_run(*first);
        if (plan.existing) return;
      }
    }
  }
  if (plan.latest) {
    if (!registrations) registrations = transaction.workflows();
    const WorkflowRegistration* newest = nullptr;
    for (const auto& registration : *registrations) {
      if (registration.id == run.workflow_name && (!newest || registration.registered_at >= newest->registered_at))
        newest = &registration;
    }
    if (!newest)
      throw NotRegisteredError("no deployment has registered workflow '" + run.workflow_name +
                               "'; nothing was started (check the ID: `wf workflows list`)");
    run.deployment_id = newest->deployment_id;
    plan.local = plan.registered_here && run.deployment_id == config_.deployment_id;
  }
  // A queued run waits unowned and without ready_at until a worker dequeues it.
  if (!plan.entry.queue.empty()) plan.local = false;
  lease_if_local();
  plan.creation.deployment_id = run.deployment_id;
  plan.created.data = plan.creation;
  if (!transaction.insert_run(run)) {
    // Another process started the same ID between the find above and this insert.
    plan.existing = transaction.find_run(run.id);
    return;
  }
  if (!plan.entry.queue.empty() && !transaction.insert_queue_entry(plan.entry))
    throw TransactionConflictError("run " + run.id + ": another start with deduplication ID '" +
                                   plan.entry.deduplication_id + "' in queue '" + plan.entry.queue +
                                   "' committed meanwhile; starting again returns that run");
  append_logged(transaction, plan.created, {run.workflow_name, run.attempt});
  if (plan.creation.detached) transaction.mark_detached(run.id);
}

std::string Engine::finish_start(PlannedStart& plan) {
  if (plan.existing) {
    if (plan.existing->workflow_name != plan.run.workflow_name)
      throw InvalidTransitionError("run ID '" + plan.existing->id + "' already names a run of workflow '" +
                                   plan.existing->workflow_name + "', not '" + plan.run.workflow_name + "'");
    // A deduplicated start returns the run holding the ID.
    return plan.existing->id;
  }
  std::string id = plan.run.id;
  if (plan.local) enqueue(std::move(plan.run), std::vector<Event>{std::move(plan.created)});
  else if (!plan.entry.queue.empty() && plan.registered_here && scheduler_) scheduler_->capacity_available();
  return id;
}

std::optional<std::string> Engine::start_run_fenced(const StartOptions& options, const std::string& workflow_id,
                                                    Json arguments, const std::string& parent_run_id,
                                                    std::optional<int> parent_attempt, bool detached) {
  PlannedStart plan = plan_start(options, workflow_id, std::move(arguments), parent_run_id);
  if (detached) plan.creation.detached = true;
  bool fenced_off = false;
  writes_->run([&](StoreTransaction& transaction) {
    if (parent_attempt) {
      fenced_off = !still_holds(transaction.fence(parent_run_id), identity_, *parent_attempt);
      if (fenced_off) return;
    }
    std::optional<std::vector<WorkflowRegistration>> registrations;
    std::optional<std::vector<QueueRecord>> queues;
    write_start(transaction, plan, registrations, queues);
  });
  if (fenced_off) return std::nullopt;
  return finish_start(plan);
}

std::vector<std::string> Engine::start_batch(const StartOptions& options, const std::string& workflow_id,
                                             std::vector<std::pair<std::string, Json>> runs) {
  if (runs.size() > kMaxBatchStart)
    throw ConfigurationError("a batch starts at most " + std::to_string(kMaxBatchStart) + " runs, not " +
                             std::to_string(runs.size()) + "; nothing was started");
  std::vector<PlannedStart> plans;
  plans.reserve(runs.size());
  for (auto& [id, arguments] : runs) {
    StartOptions each = options;
    each.id = id;
    plans.push_back(plan_start(each, workflow_id, std::move(arguments)));
  }
  // One transaction, so one durable commit: every run of the batch is started, or none is.
  writes_->run([&](StoreTransaction& transaction) {
    std::optional<std::vector<WorkflowRegistration>> registrations;
    std::optional<std::vector<QueueRecord>> queues;
    for (auto& plan : plans) write_start(transaction, plan, registrations, queues);
  });
  std::vector<std::string> ids;
  ids.reserve(plans.size());
  std::string refused;
  for (auto& plan : plans) {
    try {
      ids.push_back(finish_start(plan));
    } catch (const InvalidTransitionError& error) {
      if (refused.empty()) refused = error.what();
    }
  }
  if (!refused.empty()) throw InvalidTransitionError(refused + " (the batch's other runs were started)");
  return ids;
}

std::optional<RunRecord> Engine::find_run(std::string_view run_id) {
  return store_->read()->find_run(run_id);
}

RunRecord Engine::require_run(std::string_view run_id) {
  auto run = find_run(run_id);
  if (!run) throw RunNotFoundError(std::string(run_id));
  return *run;
}

namespace {

// One control operation on a run, in one write: finds the run (RunNotFoundError), lets `apply`
// check the transition (throwing InvalidTransitionError) and change the record, then appends the
// run's event `type` and writes the record. `apply` returns false when there is nothing to do.
void control_run(WriteQueue& writes, const std::string& id, EventType type, Json data,
                 const std::function<bool(StoreTransaction&, RunRecord&, TimePoint)>& apply) {
  writes.run([&](StoreTransaction& transaction) {
    auto run = transaction.find_run(id);
    if (!run) throw RunNotFoundError(id);
    auto now = wall_now();
    if (!apply(transaction, *run, now)) return;
    Event event;
    event.run_id = id;
    event.type = type;
    event.data = data;
    event.created_at = now;
    append_logged(transaction, event, {run->workflow_name, run->attempt});
    run->updated_at = now;
    transaction.update_run(*run);
  });
}

std::string already(const std::string& id, const char* verb, RunStatus status) {
  return "run " + id + " cannot " + verb + ": it is already " + std::string(to_string(status));
}

// Cancels every unfinished descendant of `root` not started detached, in the caller's
// transaction, so that a cancelled run leaves nothing it started running (docs/programming-model.md,
// "Child workflows"). Appends each cancelled run's ID to `cancelled`.
void cancel_descendants(StoreTransaction& transaction, const std::string& root, TimePoint now,
                        std::vector<std::string>& cancelled) {
  std::vector<std::string> parents{root};
  while (!parents.empty()) {
    std::string parent = std::move(parents.back());
    parents.pop_back();
    for (auto& child_id : transaction.attached_unfinished_children(parent)) {
      auto child = transaction.find_run(child_id);  // locks it; it may have ended since
      if (!child || is_final(child->status)) continue;
      mark_final(*child, RunStatus::cancelled, now);
      Event event;
      event.run_id = child_id;
      event.type = EventType::run_cancelled;
      event.data = payload::RunCancelled{parent};
      event.created_at = now;
      append_logged(transaction, event, {child->workflow_name, child->attempt});
      transaction.update_run(*child);
      cancelled.push_back(child_id);
      parents.push_back(std::move(child_id));
    }
  }
}

}  // namespace

void Engine::cancel(std::string_view run_id) {
  std::string id(run_id);
  std::vector<std::string> descendants;
  control_run(*writes_, id, EventType::run_cancelled, Json::object(),
              [&](StoreTransaction& transaction, RunRecord& run, TimePoint now) {
                descendants.clear();  // the writer may run this again
                if (run.status == RunStatus::cancelled) return false;
                if (is_final(run.status)) throw InvalidTransitionError(already(id, "be cancelled", run.status));
                mark_final(run, RunStatus::cancelled, now);
                if (!run.parent_run_id.empty()) make_due_if_waiting(transaction, run.parent_run_id, now);
                cancel_descendants(transaction, id, now, descendants);
                return true;
              });
  stop_executions(id, std::numeric_limits<int>::max());
  for (const auto& descendant : descendants) stop_executions(descendant, std::numeric_limits<int>::max());
}

void Engine::pause(std::string_view run_id) {
  std::string id(run_id);
  control_run(*writes_, id, EventType::run_paused, Json::object(),
              [&](StoreTransaction&, RunRecord& run, TimePoint) {
                if (run.status == RunStatus::paused) return false;
                if (is_final(run.status)) throw InvalidTransitionError(already(id, "be paused", run.status));
                run.status = RunStatus::paused;
                run.ready_at.reset();  // never due while paused; the executing worker, if any, keeps it
                return true;
              });
}

void Engine::resume(std::string_view run_id) {
  std::string id(run_id);
  control_run(*writes_, id, EventType::run_resumed, Json::object(),
              [&](StoreTransaction& transaction, RunRecord& run, TimePoint now) {
                if (run.status != RunStatus::paused)
                  throw InvalidTransitionError("run " + id + " cannot be resumed: it is " +
                                               std::string(to_string(run.status)) + ", not paused");
                // Due at once: replay finds where it stopped; a sleep still ahead waits on.
                run.status = RunStatus::pending;
                run.ready_at = now;
                if (waits_in_queue(transaction, id)) run.ready_at.reset();
                return true;
              });
  hint(wall_now());
}

void Engine::restart(std::string_view run_id) {
  std::string id(run_id);
  int new_attempt = 0;
  control_run(*writes_, id, EventType::run_restarted, Json::object(),
              [&](StoreTransaction& transaction, RunRecord& run, TimePoint now) {
                transaction.reopen_streams(id);
                // Clearing the owner fences off a worker still executing the old attempt.
                run.status = RunStatus::pending;
                new_attempt = ++run.attempt;
                run.output = Json();
                run.error = Json();
                run.completed_at.reset();
                run.owner.clear();
                run.ready_at = now;
                if (waits_in_queue(transaction, id)) run.ready_at.reset();
                return true;
              });
  // An execution of an old attempt in this process stops at its next call; the new attempt, which
  // may have begun meanwhile, goes on.
  stop_executions(id, new_attempt);
  hint(wall_now());
}

void Engine::send_event(std::string_view run_id, std::string_view type, const Json& payload) {
  std::string id(run_id);
  if (type.empty()) throw InvalidTransitionError("run " + id + ": an event needs a type");
  if (is_reserved_event_type(type))
    throw InvalidTransitionError("run " + id + ": the event type '" + std::string(type) +
                                 "' is reserved to webhooks; only a POST to the webhook's URL delivers to it");
  // An inbox entry (no position); a waiting run replays and takes it if it waits for this type.
  control_run(*writes_, id, EventType::event_received, payload::EventReceived{std::string(type), payload},
              [&](StoreTransaction&, RunRecord& run, TimePoint now) {
                if (is_final(run.status))
                  throw InvalidTransitionError(already(id, ("receive event '" + std::string(type) + "'").c_str(),
                                                       run.status));
                if (run.status == RunStatus::waiting) run.ready_at = now;
                return true;
              });
  hint(wall_now());
}

std::size_t Engine::wake_up(std::string_view run_id,
                            const std::vector<std::string>& correlation_ids) {
  std::string id(run_id);
  std::size_t woken = 0;
  writes_->run([&](StoreTransaction& transaction) {
    woken = 0;
    auto run = transaction.find_run(id);
    if (!run) throw RunNotFoundError(id);
    if (is_final(run->status)) return;
    std::map<std::string, const Event*> open_waits;
    auto events = transaction.events(id);
    for (const auto& event : events) {
      if (event.type == EventType::wait_created) open_waits[event.correlation_id] = &event;
      if (event.type == EventType::wait_completed) open_waits.erase(event.correlation_id);
    }
    auto now = wall_now();
    for (auto& [correlation_id, created] : open_waits) {
      if (!correlation_ids.empty() &&
          std::find(correlation_ids.begin(), correlation_ids.end(), correlation_id) ==
              correlation_ids.end())
        continue;
      Event completed;
      completed.run_id = id;
      completed.type = EventType::wait_completed;
      completed.correlation_id = correlation_id;
      completed.position = created->position;
      completed.data = payload::WaitCompleted{.woken_up = true};
      completed.created_at = now;
      append_logged(transaction, completed, {run->workflow_name, run->attempt});
      ++woken;
    }
    if (woken > 0 && run->status == RunStatus::waiting) {
      run->ready_at = now;
      run->updated_at = now;
      transaction.update_run(*run);
    }
  });
  if (woken > 0) hint(wall_now());
  return woken;
}

RunRecord Engine::wait_until_final(std::string_view run_id,
                                   std::optional<std::chrono::milliseconds> timeout) {
  auto deadline = timeout ? std::optional(wall_now() + *timeout) : std::nullopt;
  for (;;) {
    // Taken before the read, so a change committed after the read is waited for, never missed.
    auto seen = journal_changes();
    auto run = require_run(run_id);
    if (is_final(run.status)) return run;
    if (deadline && wall_now() >= *deadline)
      throw TimeoutError("run " + std::string(run_id) + " did not finish within " +
                         std::to_string(timeout->count()) + " ms (status: " +
                         std::string(to_string(run.status)) + ")");
    // Re-read at least every second, should a change go unreported.
    auto recheck = wall_now() + std::chrono::seconds(1);
    wait_for_journal_change(seen, deadline ? std::min(*deadline, recheck) : recheck);
  }
}

}  // namespace workflow::detail
