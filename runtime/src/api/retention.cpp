// The public retention API (<workflow/retention.hpp>).
#include <workflow/errors.hpp>
#include <workflow/retention.hpp>

#include "engine/engine.hpp"
#include "retention/journal_pruner.hpp"

#include <stdexcept>

namespace workflow {

PruneReport prune_runs(const PruneOptions& options) {
  for (auto status : options.statuses)
    if (!is_final(status))
      throw std::invalid_argument("cannot prune " + std::string(to_string(status)) +
                                  " runs: only completed, failed and cancelled runs are deleted");
  detail::PruneSelection selection{options.finished_before, options.statuses};
  auto engine = detail::Engine::instance();
  auto began = std::chrono::steady_clock::now();
  detail::PruneOutcome outcome;
  if (options.dry_run)
    outcome.deleted = engine->store().read()->count_prunable(selection);
  else
    outcome = detail::JournalPruner::prune_journal_of(*engine, selection, [&] { return engine->stopping(); });
  PruneReport report;
  report.runs = outcome.deleted.runs;
  report.events = outcome.deleted.events;
  report.stream_chunks = outcome.deleted.stream_chunks;
  report.batches = outcome.batches;
  report.took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began);
  return report;
}

void keep_run(const std::string& run_id, bool keep) {
  auto engine = detail::Engine::instance();
  engine->writes().run([&](detail::StoreTransaction& transaction) {
    if (!transaction.fence(run_id)) throw RunNotFoundError(run_id);
    transaction.set_kept(run_id, keep, detail::wall_now());
  });
}

bool run_is_kept(const std::string& run_id) {
  auto transaction = detail::Engine::instance()->store().read();
  if (!transaction->fence(run_id)) throw RunNotFoundError(run_id);
  return transaction->kept(run_id);
}

JournalUsage journal_usage() {
  auto size = detail::Engine::instance()->store().read()->journal_size();
  return {size.bytes, size.free_bytes.value_or(-1)};
}

}  // namespace workflow
