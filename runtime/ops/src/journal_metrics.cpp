// The journal's gauges, serialized by Debian's prometheus-cpp (docs/metrics.md).
#include "journal_metrics.hpp"

#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <sstream>

namespace workflow::ops {

std::string journal_metrics_text(const std::vector<RunCount>& counts, TimePoint now, const JournalUsage& usage) {
  // A registry per scrape: a workflow whose last run was pruned disappears from the output
  // instead of staying at its last value.
  prometheus::Registry registry;
  auto& runs = prometheus::BuildGauge()
                   .Name("workflow_journal_runs")
                   .Help("Runs in the journal, by workflow and status (pending, running, waiting, paused, "
                         "completed, failed, cancelled)")
                   .Register(registry);
  auto& pending_age = prometheus::BuildGauge()
                          .Name("workflow_journal_oldest_due_pending_seconds")
                          .Help("How long the pending run that became due longest ago has waited for a worker, "
                                "by workflow (0: none is waiting)")
                          .Register(registry);
  for (const auto& count : counts) {
    runs.Add({{"workflow", count.workflow}, {"status", std::string(to_string(count.status))}})
        .Set(static_cast<double>(count.count));
    if (count.status != RunStatus::pending) continue;
    double waited = count.oldest_due ? std::chrono::duration<double>(now - *count.oldest_due).count() : 0.0;
    pending_age.Add({{"workflow", count.workflow}}).Set(waited > 0 ? waited : 0.0);
  }
  auto& size = prometheus::BuildGauge()
                   .Name("workflow_journal_size_bytes")
                   .Help("Room the journal takes: the SQLite file's pages, or the PostgreSQL schema's tables "
                         "with their indexes (docs/retention.md)")
                   .Register(registry);
  size.Add({}).Set(static_cast<double>(usage.bytes));
  if (usage.free_bytes >= 0) {
    prometheus::BuildGauge()
        .Name("workflow_journal_free_bytes")
        .Help("Of the journal's room, what deleted records freed and new ones reuse (SQLite only)")
        .Register(registry)
        .Add({})
        .Set(static_cast<double>(usage.free_bytes));
  }
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, registry.Collect());
  return out.str();
}

}  // namespace workflow::ops
