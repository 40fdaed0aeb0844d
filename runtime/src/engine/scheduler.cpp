// Claiming due runs, recovering runs of dead workers, renewing leases.
#include "engine/scheduler.hpp"

#include "engine/commit_log.hpp"
#include "engine/engine.hpp"
#include "engine/queues.hpp"
#include "engine/run_executor.hpp"
#include "log/logger.hpp"
#include "util/ids.hpp"

#include <algorithm>
#include <set>

namespace workflow::detail {
namespace {
// How often lease holders are checked for dead processes on this host, and leases of other hosts
// for expiry.
constexpr auto kOwnerScanInterval = std::chrono::seconds(1);
constexpr auto kRecheckDelay = std::chrono::milliseconds(20);
}  // namespace

Scheduler::Scheduler(Engine& engine) : engine_(engine), thread_([this] { loop(); }) {}

Scheduler::~Scheduler() { stop(); }

void Scheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::hint(TimePoint ready_at) {
  {
    std::lock_guard lock(mutex_);
    if (!next_due_ || ready_at < *next_due_) next_due_ = ready_at;
  }
  wake_.notify_one();
}

void Scheduler::capacity_available() {
  {
    std::lock_guard lock(mutex_);
    claim_requested_ = true;
  }
  wake_.notify_one();
}

std::size_t Scheduler::claim_due(TimePoint now, bool scan_owners) {
  std::size_t capacity = engine_.free_capacity();
  if (capacity == 0 || engine_.workflow_ids().empty()) return 0;
  std::vector<RunRecord> claimed;
  std::optional<TimePoint> next;
  const auto& identity = engine_.identity();
  engine_.writes().run(
      [&](StoreTransaction& transaction) {
        if (scan_owners) {
          dead_owners_.clear();
          for (auto& owner : transaction.lease_holders())
            if (owner != identity && is_dead_local_worker(owner)) dead_owners_.push_back(owner);
        }
        ClaimRequest request{engine_.workflow_ids(), engine_.deployment_id(), now, dead_owners_,
                             capacity, identity, now + engine_.config().lease};
        claimed = transaction.claim_due_runs(request);
        next = transaction.next_due(engine_.workflow_ids(), engine_.deployment_id());
        // Queued runs take what capacity is left (docs/queues.md).
        request.limit = capacity - claimed.size();
        auto dispatch = dequeue_runs(transaction, request, &wall_now);
        for (auto& run : dispatch.runs) claimed.push_back(std::move(run));
        if (dispatch.retry_at && (!next || *dispatch.retry_at < *next)) next = dispatch.retry_at;
        for (const auto& run : claimed) log_after_commit(claim_record(run, identity));
      },
      WriteQueue::Durability::lazy);
  engine_.metrics().lease_takeovers(
      static_cast<std::size_t>(std::count_if(claimed.begin(), claimed.end(), [](const RunRecord& run) { return run.taken_over; })));
  for (auto& run : claimed) engine_.enqueue(std::move(run));
  // A run due now but not claimed (a queue's per-worker limit holds it back; another transaction
  // had it locked) is looked at again shortly, not in a busy loop; a freed slot wakes it sooner.
  if (next && claimed.size() < capacity) hint(std::max(*next, now + kRecheckDelay));
  return claimed.size();
}

// A run the journal says this engine holds, but that it neither queues nor executes: its claim or
// local start committed although the commit reported a failure (the connection broke during
// COMMIT). Nothing would execute it, and the heartbeats would renew its lease forever. It is let
// go once seen so at two scans in a row: a run started here a moment ago may not be queued yet.
void Scheduler::release_orphans() {
  const auto& identity = engine_.identity();
  std::set<std::string> orphans;
  for (auto& id : engine_.store().read()->runs_held_by(identity))
    if (!engine_.holds_locally(id)) orphans.insert(id);
  std::vector<std::string> confirmed;
  for (auto& id : orphans)
    if (suspected_orphans_.count(id)) confirmed.push_back(id);
  suspected_orphans_ = std::move(orphans);
  if (confirmed.empty()) return;
  engine_.writes().run(
      [&](StoreTransaction& transaction) {
        for (auto& id : confirmed) {
          auto run = transaction.find_run(id);
          if (!run || run->owner != identity || engine_.holds_locally(id)) continue;
          run->owner.clear();
          transaction.update_run(*run);
        }
      },
      WriteQueue::Durability::lazy);
  for (auto& id : confirmed) {
    log_message(LogLevel::warn,
                "run " + id + ": held by this worker but not executing here (a commit whose outcome was unknown); "
                "released for any worker",
                id);
    suspected_orphans_.erase(id);
  }
  capacity_available();
}

void Scheduler::loop() {
  TimePoint next_heartbeat = wall_now();
  TimePoint next_owner_scan = wall_now();
  bool failing = false;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    auto now = wall_now();
    bool due = claim_requested_ || (next_due_ && *next_due_ <= now) || now >= next_owner_scan;
    lock.unlock();
    try {
      if (now >= next_heartbeat) {
        engine_.writes().post(
            [identity = engine_.identity(), until = now + engine_.config().lease](StoreTransaction& t) {
              t.extend_leases(identity, until);
            },
            WriteQueue::Durability::lazy, nullptr);
        next_heartbeat = now + engine_.config().lease / 3;
        for (auto& [run_id, attempt] : engine_.take_pending_releases()) release_after_failure(engine_, run_id, attempt);
      }
      if (due) {
        bool scan = now >= next_owner_scan;
        if (scan) {
          next_owner_scan = now + kOwnerScanInterval;
          release_orphans();
        }
        {
          std::lock_guard relock(mutex_);
          claim_requested_ = false;
          if (next_due_ && *next_due_ <= now) next_due_.reset();
        }
        claim_due(now, scan);
      }
      if (failing) log_message(LogLevel::warn, "scheduler: the journal answers again");
      failing = false;
    } catch (const std::exception& error) {
      // Said once per outage (a database restart fails every try for seconds), not every 200 ms.
      if (!failing) log_message(LogLevel::warn, std::string("scheduler: ") + error.what() + " (retrying)");
      failing = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    lock.lock();
    // Other processes' commits arrive as capacity_available() from the engine's change watcher.
    auto wake_at = std::min(next_owner_scan, next_heartbeat);
    if (next_due_) wake_at = std::min(wake_at, *next_due_);
    if (!claim_requested_ && !stopping_) wake_.wait_until(lock, system_time(wake_at));
  }
}

}  // namespace workflow::detail
