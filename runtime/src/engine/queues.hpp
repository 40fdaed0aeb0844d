// Dequeuing queued runs in a worker's claim transaction (docs/queues.md).
#pragma once

#include <optional>
#include <vector>

#include "store/journal_store.hpp"

namespace workflow::detail {

struct QueueDispatch {
  /// Dequeued and now held by the claimer.
  std::vector<RunRecord> runs;
  /// When a rate limit lets the next run of a queue go, if one held runs back.
  std::optional<TimePoint> retry_at;
};

/// Whether the run waits in its queue, not yet dequeued: it must not become due by any other way
/// (a resume, a restart) than a dequeue.
bool waits_in_queue(StoreTransaction& transaction, std::string_view run_id);

/// Dequeues up to `request.limit` runs for `request.owner`: for each queue where runs of its
/// workflows wait, under the queue's row lock, in priority then creation order, as far as the
/// queue's global, per-worker, rate and per-key limits allow. `clock` reads the time after each
/// lock (the dequeue time recorded).
QueueDispatch dequeue_runs(StoreTransaction& transaction, const ClaimRequest& request, TimePoint (*clock)());

}  // namespace workflow::detail
