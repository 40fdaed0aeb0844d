// Queues (docs/queues.md): starting runs into a queue, declaring queues, and dequeuing in the
// claim path under each queue's limits.
#include "engine/queues.hpp"

#include <algorithm>
#include <iostream>
#include <workflow/errors.hpp>
#include <workflow/queues.hpp>

#include "engine/engine.hpp"
#include "engine/scheduler.hpp"

namespace workflow::detail {

void Engine::plan_queue_entry(const StartOptions& options, PlannedStart& plan) {
  RunRecord& run = plan.run;
  if (options.queue.empty()) {
    if (options.priority != 0 || !options.partition_key.empty() || !options.deduplication_id.empty())
      throw ConfigurationError("run " + run.id + " of " + run.workflow_name +
                               ": a priority, partition key or deduplication ID needs a queue (StartOptions::queue)");
    return;
  }
  plan.entry = {run.id,        options.queue, options.priority, options.partition_key, options.deduplication_id,
                run.created_at};
  run.ready_at.reset();
  plan.creation.queue = options.queue;
  if (options.priority != 0) plan.creation.priority = options.priority;
  if (!options.partition_key.empty()) plan.creation.partition_key = options.partition_key;
  if (!options.deduplication_id.empty()) plan.creation.deduplication_id = options.deduplication_id;
}

void Engine::check_queue_declared(StoreTransaction& transaction, const PlannedStart& plan,
                                  std::optional<std::vector<QueueRecord>>& queues) {
  if (!queues) queues = transaction.queues();
  bool declared = std::any_of(queues->begin(), queues->end(),
                              [&](const QueueRecord& queue) { return queue.name == plan.entry.queue; });
  if (!declared)
    throw ConfigurationError("queue '" + plan.entry.queue + "' is not declared (workflow::declare_queue at worker " +
                             "start); run " + plan.run.id + " of " + plan.run.workflow_name + " was not started");
}

void Engine::declare_queue(const QueueRecord& queue) {
  writes_->run([&](StoreTransaction& transaction) { transaction.declare_queue(queue); });
  // A changed limit may let waiting runs go.
  if (scheduler_) scheduler_->capacity_available();
}

bool waits_in_queue(StoreTransaction& transaction, std::string_view run_id) {
  auto entry = transaction.queue_entry(run_id);
  return entry && !entry->dequeued_at && !entry->done;
}

QueueDispatch dequeue_runs(StoreTransaction& transaction, const ClaimRequest& request, TimePoint (*clock)()) {
  QueueDispatch dispatch;
  if (request.limit == 0) return dispatch;
  // Runs of a queue with a per-worker limit that were dequeued and are due again (woken, or left
  // by a dead worker) are claimed here, not by the ordinary claim, within the limit. No lock: the
  // count is of this worker's own runs, and its claims are one at a time.
  for (const auto& queue : transaction.queues()) {
    std::size_t room = request.limit - dispatch.runs.size();
    if (queue.worker_concurrency == 0 || room == 0) continue;
    auto held = transaction.queue_load(queue.name, request.owner, clock()).held;
    if (held >= queue.worker_concurrency) continue;
    ClaimRequest again = request;
    again.queue = queue.name;
    again.limit = std::min(room, static_cast<std::size_t>(queue.worker_concurrency - held));
    for (auto& run : transaction.claim_due_runs(again)) dispatch.runs.push_back(std::move(run));
  }
  for (const auto& name : transaction.queues_with_waiting(request.workflows, request.deployment)) {
    std::size_t room = request.limit - dispatch.runs.size();
    if (room == 0) break;
    // Serialises this queue's dequeues across processes until commit: what is counted below
    // stays true until the dequeues are visible to the next one.
    auto queue = transaction.lock_queue(name);
    if (!queue) continue;
    // The rate window reaches back from before the load is read (counting a little more, never
    // less); the dequeue time is read after it: every run the load saw end had ended by then
    // (on PostgreSQL a statement sees what committed before it began, possibly after an earlier
    // clock reading), so the journal's dequeue and end times show the limits held.
    TimePoint before = clock();
    TimePoint since = queue->rate_limit > 0 ? before - queue->rate_period : before;
    auto load = transaction.queue_load(name, request.owner, since);
    TimePoint now = clock();
    auto allowed = static_cast<std::int64_t>(room);
    if (queue->concurrency > 0) allowed = std::min(allowed, queue->concurrency - load.active);
    if (queue->worker_concurrency > 0) allowed = std::min(allowed, queue->worker_concurrency - load.held);
    if (queue->rate_limit > 0) {
      allowed = std::min(allowed, queue->rate_limit - load.dequeued_since);
      // The window's oldest dequeue leaves it then, and one more may go.
      if (allowed <= 0 && load.earliest_since) {
        auto next = *load.earliest_since + queue->rate_period;
        if (!dispatch.retry_at || next < *dispatch.retry_at) dispatch.retry_at = next;
      }
    }
    if (allowed <= 0) continue;
    // With a per-key limit, runs of full partitions are passed over: read more than are taken.
    std::size_t window = queue->partition_concurrency > 0 ? static_cast<std::size_t>(allowed) * 8 + 64
                                                          : static_cast<std::size_t>(allowed);
    auto candidates = transaction.waiting_entries(name, request.workflows, request.deployment, window);
    for (const auto& entry : candidates) {
      if (allowed == 0) break;
      if (queue->partition_concurrency > 0) {
        auto& active = load.active_by_partition[entry.partition_key];
        if (active >= queue->partition_concurrency) continue;
        ++active;
      }
      dispatch.runs.push_back(transaction.dequeue_run(entry.run_id, request.owner, request.lease_until, now));
      --allowed;
    }
  }
  return dispatch;
}

}  // namespace workflow::detail

namespace workflow {

void declare_queue(const std::string& name, const QueueOptions& options) {
  if (name.empty()) throw ConfigurationError("workflow::declare_queue: a queue needs a name");
  if (options.concurrency < 0 || options.worker_concurrency < 0 || options.partition_concurrency < 0 ||
      options.rate_limit.count < 0 || options.rate_limit.period.count() < 0)
    throw ConfigurationError("workflow::declare_queue: queue '" + name + "': a limit is negative (0 means none)");
  if (options.rate_limit.count > 0 && options.rate_limit.period.count() == 0)
    throw ConfigurationError("workflow::declare_queue: queue '" + name + "': a rate limit needs a period");
  detail::QueueRecord queue{name,
                            options.concurrency,
                            options.worker_concurrency,
                            options.rate_limit.count,
                            std::chrono::duration_cast<std::chrono::microseconds>(options.rate_limit.period),
                            options.partition_concurrency,
                            detail::wall_now()};
  detail::Engine::instance()->declare_queue(queue);
}

std::vector<QueueInfo> list_queues() {
  std::vector<QueueInfo> result;
  auto transaction = detail::Engine::instance()->store().read();
  for (const auto& queue : transaction->queues()) {
    auto load = transaction->queue_load(queue.name, "", detail::wall_now());
    load.waiting = transaction->count_waiting(queue.name);
    QueueOptions options{
        static_cast<int>(queue.concurrency),
        static_cast<int>(queue.worker_concurrency),
        {static_cast<int>(queue.rate_limit), std::chrono::duration_cast<std::chrono::milliseconds>(queue.rate_period)},
        static_cast<int>(queue.partition_concurrency)};
    result.push_back({queue.name, options, load.waiting, load.active});
  }
  return result;
}

}  // namespace workflow
