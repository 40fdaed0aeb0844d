// Queues: named limits on how many runs of the queue execute at once, and how fast they start.
// docs/queues.md describes them.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace workflow {

/// At most `count` runs leave the queue per `period` (0: no rate limit).
struct RateLimit {
  int count = 0;
  std::chrono::milliseconds period{0};
};

/// A queue's limits; 0 means "no limit". Every limit counts runs the queue has dequeued and that
/// have not ended (completed, failed, cancelled): a dequeued run that waits, sleeps or is paused
/// keeps its slot.
struct QueueOptions {
  /// Dequeued, unfinished runs of the queue across every worker sharing the journal.
  int concurrency = 0;
  /// Dequeued, unfinished runs of the queue one worker process takes from it.
  int worker_concurrency = 0;
  RateLimit rate_limit;
  /// Dequeued, unfinished runs of the queue per partition key (StartOptions::partition_key).
  int partition_concurrency = 0;
};

/// Declares the queue `name` with `options` in the journal, so that every process sharing it
/// applies the same limits. Idempotent; a declaration with other limits replaces the stored
/// ones (the latest declaration wins, and every dispatch reads them afresh). Call it at worker
/// start, before starting runs into the queue. Throws ConfigurationError for an empty name or
/// a negative limit.
void declare_queue(const std::string& name, const QueueOptions& options = {});

/// A queue as stored, with how many of its runs wait and how many hold a slot.
struct QueueInfo {
  std::string name;
  QueueOptions options;
  std::int64_t waiting = 0;
  std::int64_t active = 0;
};

/// Every declared queue.
std::vector<QueueInfo> list_queues();

}  // namespace workflow
