// The journal's records of queues (docs/queues.md): each queue's limits, and one entry per run
// started into a queue.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "util/time.hpp"

namespace workflow::detail {

/// A declared queue; 0 means "no limit".
struct QueueRecord {
  std::string name;
  std::int64_t concurrency = 0;
  std::int64_t worker_concurrency = 0;
  std::int64_t rate_limit = 0;
  std::chrono::microseconds rate_period{0};
  std::int64_t partition_concurrency = 0;
  TimePoint declared_at;
};

/// A run's place in its queue. The run waits (pending, no ready_at) until `dequeued_at` is set;
/// from then until it ends (`done`, set by the store when the run's status becomes final) it
/// holds one of the queue's slots.
struct QueueEntry {
  std::string run_id;
  std::string queue;
  std::int64_t priority = 0;
  std::string partition_key;
  std::string deduplication_id;
  TimePoint enqueued_at;
  std::optional<TimePoint> dequeued_at;
  bool done = false;
  /// For a waiting entry as read by queue_entry: 1 = next to leave (by priority, then creation).
  std::int64_t position = 0;
};

/// What a queue's limits are measured against, read under the queue's lock.
struct QueueLoad {
  /// Filled by count_waiting, not queue_load: the dispatcher has no use for it.
  std::int64_t waiting = 0;
  /// Dequeued and unfinished.
  std::int64_t active = 0;
  /// Dequeued, unfinished and held (owned) by the asking worker.
  std::int64_t held = 0;
  /// Dequeued at or after `since`, and the earliest of those.
  std::int64_t dequeued_since = 0;
  std::optional<TimePoint> earliest_since;
  /// Dequeued and unfinished, by partition key (keys with none are absent).
  std::map<std::string, std::int64_t> active_by_partition;
};

}  // namespace workflow::detail
