// Deleting finished runs in bounded batches (journal_pruner.hpp).
#include "retention/journal_pruner.hpp"

#include "engine/engine.hpp"
#include "store/journal_store.hpp"

#include <algorithm>
#include <thread>
#include <unordered_set>

namespace workflow::detail {

JournalPruner::JournalPruner(TransactionRunner run, PrunePacing pacing) : run_(std::move(run)), pacing_(pacing) {}

PruneOutcome JournalPruner::prune_journal_of(Engine& engine, const PruneSelection& selection,
                                             const std::function<bool()>& stop) {
  if (sqlite_journal_path(engine.config().database)) {
    return JournalPruner([&](const auto& write) { engine.writes().run(write); }).prune(selection, stop);
  }
  auto store = open_journal_store(engine.config().database, engine.config().store);
  return JournalPruner([&](const auto& write) {
           // A conflict the server resolved by aborting this side wrote nothing: run it again.
           for (int attempt = 1;; ++attempt) {
             try {
               auto transaction = store->write();
               write(*transaction);
               transaction->commit();
               return;
             } catch (const TransactionConflictError&) {
               if (attempt == 5) throw;
             }
           }
         })
      .prune(selection, stop);
}

PruneCounts JournalPruner::prune_batch(StoreTransaction& transaction, const PruneSelection& selection,
                                       std::size_t budget) {
  auto roots = transaction.prune_roots(selection, std::max<std::size_t>(budget, 1));
  if (roots.empty()) return {};
  // The trees below the roots, level by level. A run seen twice (a damaged parent link making a
  // cycle) is taken once.
  std::vector<std::vector<std::string>> levels{roots};
  std::unordered_set<std::string> seen(roots.begin(), roots.end());
  while (!levels.back().empty()) {
    std::vector<std::string> next;
    for (auto& child : transaction.prunable_children(levels.back()))
      if (seen.insert(child.run_id).second) next.push_back(std::move(child.run_id));
    levels.push_back(std::move(next));
  }
  std::vector<std::string> doomed;
  for (auto level = levels.rbegin(); level != levels.rend() && doomed.size() < budget; ++level) {
    auto take = std::min(level->size(), budget - doomed.size());
    doomed.insert(doomed.end(), level->begin(), level->begin() + static_cast<std::ptrdiff_t>(take));
  }
  return transaction.delete_runs(doomed);
}

PruneOutcome JournalPruner::prune(const PruneSelection& selection, const std::function<bool()>& stop) {
  PruneOutcome outcome;
  std::size_t budget = pacing_.first_budget;
  while (!(stop && stop())) {
    PruneCounts batch;
    auto began = std::chrono::steady_clock::now();
    run_([&](StoreTransaction& transaction) {
      // Assigned, not added: the writer may run a batch's writes again after another one failed.
      batch = prune_batch(transaction, selection, budget);
    });
    auto took = std::chrono::steady_clock::now() - began;
    if (batch.runs == 0) break;
    outcome.deleted += batch;
    ++outcome.batches;
    if (took < pacing_.target_batch / 2) budget = std::min(budget * 2, pacing_.largest_budget);
    else if (took > pacing_.target_batch * 2) budget = std::max<std::size_t>(budget / 2, 1);
    // At most a second: a batch slowed by a busy journal does not hold up a stop for long.
    auto pause = std::chrono::duration_cast<std::chrono::steady_clock::duration>(took * pacing_.pause_ratio);
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(pause, std::chrono::seconds(1)));
  }
  return outcome;
}

}  // namespace workflow::detail
