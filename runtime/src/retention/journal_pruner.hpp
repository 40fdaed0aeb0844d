// Deleting finished runs in bounded batches (docs/retention.md).
//
// A batch is one write transaction (see prune_journal_of for whose): the runs a selection names
// first (oldest ended first) and their finished, unkept descendants, deepest first, up to the
// batch's budget of runs. Deepest first, any prefix leaves no run without the parent it had, so a
// batch may stop inside a large tree and the next one goes on where it stopped; a crash between
// batches loses nothing that was meant to stay.
//
// The budget adapts so that a batch takes about `target_batch`: shared with the engine's other
// writes (on SQLite, with every process's), a batch delays them by at most about that much. After
// each batch the pruner pauses `pause_ratio` times as long as the batch took, so the writer spends
// at least half its time on other work.
#pragma once

#include "store/journal_store.hpp"
#include "store/records.hpp"

#include <chrono>
#include <cstddef>
#include <functional>

namespace workflow::detail {

struct PrunePacing {
  std::chrono::milliseconds target_batch{10};
  double pause_ratio = 1.0;
  std::size_t first_budget = 64;
  std::size_t largest_budget = 5000;
};

struct PruneOutcome {
  PruneCounts deleted;
  std::int64_t batches = 0;
};

class Engine;

class JournalPruner {
 public:
  /// Runs one batch's write transaction to its commit (again if need be: it must be rerunnable).
  using TransactionRunner = std::function<void(const std::function<void(StoreTransaction&)>&)>;
  explicit JournalPruner(TransactionRunner run, PrunePacing pacing = {});

  /// Prunes the journal of `engine`. On SQLite through the engine's writer: write transactions
  /// exclude each other there anyway, and between batches the writer's queue lets the engine's
  /// writes in at once, where a second connection would wait in SQLite's busy handler. Elsewhere
  /// (PostgreSQL) on a connection of its own, so that batches run beside the engine's commits
  /// instead of between them.
  static PruneOutcome prune_journal_of(Engine& engine, const PruneSelection& selection,
                                       const std::function<bool()>& stop);

  /// Deletes what `selection` names, batch by batch, until nothing is left or `stop` (checked
  /// between batches; may be empty) returns true.
  PruneOutcome prune(const PruneSelection& selection, const std::function<bool()>& stop = {});

  /// One batch of at most `budget` runs; what it deleted (no runs: nothing was left).
  static PruneCounts prune_batch(StoreTransaction& transaction, const PruneSelection& selection, std::size_t budget);

 private:
  TransactionRunner run_;
  PrunePacing pacing_;
};

}  // namespace workflow::detail
