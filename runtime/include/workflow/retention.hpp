// Retention: deleting finished runs once they are no longer needed (docs/retention.md).
//
// Every worker deletes the runs that ended longer than Config::retention ago (30 days unless
// configured), in small batches. `prune_runs` does the same on demand, for any cut-off and
// statuses (`wf runs prune`, `POST /api/runs/prune`). A run marked to keep is never deleted, nor
// is anything below it. A run goes with its events, streams, webhooks and queue entry, and with
// its finished child runs (and theirs); a child still running stays.
#pragma once

#include <workflow/context.hpp>
#include <workflow/run_status.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace workflow {

/// Which runs prune_runs deletes.
struct PruneOptions {
  /// Runs that ended before this time.
  TimePoint finished_before;
  /// Only runs that ended in one of these statuses (completed, failed, cancelled); empty: all three.
  /// A child goes with its parent, whatever its own status and end.
  std::vector<RunStatus> statuses;
  /// Count what would go, delete nothing.
  bool dry_run = false;
};

/// What prune_runs deleted (or, for a dry run, would delete).
struct PruneReport {
  std::int64_t runs = 0;
  std::int64_t events = 0;
  std::int64_t stream_chunks = 0;
  /// Transactions it took (0 for a dry run).
  std::int64_t batches = 0;
  std::chrono::milliseconds took{0};
};

/// Deletes the finished runs `options` names, in batches that each hold the journal's writer for
/// a few milliseconds; runs and workers go on meanwhile. Throws std::invalid_argument for a status
/// that is not final.
PruneReport prune_runs(const PruneOptions& options);

/// Marks the run to be kept however old it gets (`keep`), or lets retention delete it again.
/// Throws RunNotFoundError.
void keep_run(const std::string& run_id, bool keep = true);

/// Whether the run is marked to be kept. Throws RunNotFoundError.
bool run_is_kept(const std::string& run_id);

/// How much room the journal takes: the SQLite file's pages (and of those, the free ones that
/// new records reuse) or the PostgreSQL schema's tables with their indexes.
struct JournalUsage {
  std::int64_t bytes = 0;
  /// SQLite only; -1 where the store cannot tell.
  std::int64_t free_bytes = -1;
};
JournalUsage journal_usage();

}  // namespace workflow
