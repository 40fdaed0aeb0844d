// What the journal says about runs that went through a queue: when each was dequeued (took a slot)
// and when it ended (gave it back). The queue tests check the limits from these times, not from
// timing: two spans overlap only if the journal says both runs held a slot at once.
#pragma once

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "store/journal_store.hpp"

namespace workflow::test_support {

struct QueueSpan {
  std::string run_id;
  std::string partition_key;
  std::int64_t priority = 0;
  detail::TimePoint enqueued_at;
  detail::TimePoint dequeued_at;
  detail::TimePoint ended_at;
};

/// The spans of `run_ids`, each dequeued and ended (throws otherwise), sorted by dequeue time.
inline std::vector<QueueSpan> queue_spans(detail::JournalStore& store, const std::vector<std::string>& run_ids) {
  auto transaction = store.read();
  std::vector<QueueSpan> spans;
  for (const auto& id : run_ids) {
    auto entry = transaction->queue_entry(id);
    auto run = transaction->find_run(id);
    if (!entry || !run) throw std::runtime_error("run " + id + ": no queue entry or run in the journal");
    if (!entry->dequeued_at || !run->completed_at)
      throw std::runtime_error("run " + id + ": not dequeued or not ended (" + std::string(to_string(run->status)) +
                               ")");
    spans.push_back(
        {id, entry->partition_key, entry->priority, entry->enqueued_at, *entry->dequeued_at, *run->completed_at});
  }
  std::sort(spans.begin(), spans.end(),
            [](const QueueSpan& a, const QueueSpan& b) { return a.dequeued_at < b.dequeued_at; });
  return spans;
}

/// The most spans holding a slot at one instant. A span ending at the instant another begins does
/// not overlap it.
inline int max_overlap(const std::vector<QueueSpan>& spans) {
  std::vector<std::pair<detail::TimePoint, int>> edges;
  for (const auto& span : spans) {
    edges.emplace_back(span.dequeued_at, +1);
    edges.emplace_back(span.ended_at, -1);
  }
  std::sort(edges.begin(), edges.end());  // at equal times, -1 sorts first
  int now = 0;
  int most = 0;
  for (const auto& [at, delta] : edges) most = std::max(most, now += delta);
  return most;
}

/// max_overlap per partition key.
inline std::map<std::string, int> max_overlap_by_key(const std::vector<QueueSpan>& spans) {
  std::map<std::string, std::vector<QueueSpan>> by_key;
  for (const auto& span : spans) by_key[span.partition_key].push_back(span);
  std::map<std::string, int> result;
  for (const auto& [key, group] : by_key) result[key] = max_overlap(group);
  return result;
}

/// The most dequeues within any window [t, t + period).
inline int max_dequeues_per(const std::vector<QueueSpan>& spans, std::chrono::microseconds period) {
  int most = 0;
  for (std::size_t first = 0, last = 0; first < spans.size(); ++first) {
    while (last < spans.size() && spans[last].dequeued_at < spans[first].dequeued_at + period) ++last;
    most = std::max(most, static_cast<int>(last - first));
  }
  return most;
}

/// Whether the spans, in dequeue order, follow priority then enqueue order.
inline bool dequeued_in_priority_order(const std::vector<QueueSpan>& spans) {
  for (std::size_t i = 1; i < spans.size(); ++i) {
    const auto& a = spans[i - 1];
    const auto& b = spans[i];
    if (std::make_pair(a.priority, a.enqueued_at) > std::make_pair(b.priority, b.enqueued_at)) return false;
  }
  return true;
}

}  // namespace workflow::test_support
