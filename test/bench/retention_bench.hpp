// W13: retention on a journal of many finished runs (docs/retention.md).
#pragma once

#include "bench_journal.hpp"

#include <cstdint>

namespace bench {

struct RetentionFigures {
  std::int64_t runs = 0;
  double fill_s = 0;
  std::int64_t bytes_full = 0;
  double prune_s = 0;
  std::int64_t pruned = 0;
  std::int64_t batches = 0;
  std::int64_t bytes_pruned = 0;
  std::int64_t free_bytes_pruned = -1;
  std::int64_t refilled = 0;
  std::int64_t bytes_refilled = 0;
  std::int64_t free_bytes_refilled = -1;
  double w3_p50_ms = 0, w3_p99_ms = 0, w3_max_ms = 0;
  int w3_runs = 0;
  double w3_pruning_p50_ms = 0, w3_pruning_p99_ms = 0, w3_pruning_max_ms = 0;
  int w3_pruning_runs = 0;
};

/// On a fresh journal: `runs` finished runs of a 1-step workflow (copies of one executed run,
/// written through the store, ended 40 days ago), the journal's size; W3 (start() to return
/// value of a 1-step run) alone, then again for as long as prune_runs takes to delete them all;
/// the size after; then a tenth as many runs written again, and the size: SQLite reuses the
/// freed pages.
/// `one_step_workflow` starts a run of a 1-step workflow and returns its latency in ms.
RetentionFigures retention_at_scale(BenchJournals& journals, std::int64_t runs, double (*one_step_run_ms)());

}  // namespace bench
