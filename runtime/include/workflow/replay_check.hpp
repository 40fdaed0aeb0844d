// Replay checks: does the code in this binary still replay the runs a journal recorded?
// (docs/versioning.md). Each run's history is replayed against the workflow's body as compiled
// here, without executing a step, sleeping, or writing anything; the first call where the body
// now does something else than the journal recorded is reported. Usable from a test (CI, before
// deploying) and, through `wf runs replay` in a binary that links the workflows, by operators.
#pragma once

#include <workflow/context.hpp>
#include <workflow/run_status.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace workflow {

/// Where a replay stopped agreeing with the journal.
struct ReplayDivergence {
  /// The call as the journal keys it: `step-3`, `p2.1/wait-4`, `a2/child-5`.
  std::string correlation_id;
  /// The call's number within its body or parallel branch (1 for the first call).
  std::int64_t position = 0;
  /// What the journal recorded there: `step 'step//./orders.cpp//charge'`, `a sleep`, `a wait
  /// for event 'approval'`, `child workflow '...'`, `patch '...'`, or `the run's end`.
  std::string recorded;
  /// What the code does there now: `calls step '...'`, `sleeps`, `waits for event '...'`,
  /// `starts child workflow '...'`, or `ends (returns or throws)`.
  std::string now;
  /// `file:line` of the call the code makes there now; empty when the code now ends there.
  std::string source_location;
};

/// The outcome of replaying one run.
struct ReplayResult {
  enum class Verdict {
    /// The code makes every call the journal recorded, in order, up to where the run stands.
    compatible,
    /// The code diverges from the journal: see `divergence`.
    incompatible,
    /// Not replayed: the workflow is not in this binary, or the run's record is damaged.
    unchecked,
  };
  std::string run_id;
  std::string workflow;
  std::string deployment_id;
  RunStatus status = RunStatus::pending;
  Verdict verdict = Verdict::unchecked;
  std::optional<ReplayDivergence> divergence;
  /// Incompatible: the whole non-determinism message; unchecked: why.
  std::string message;
  /// How many recorded calls the code made again before it diverged or reached where the run stands.
  std::size_t calls_replayed = 0;
};

/// Which runs to replay. Empty fields do not filter.
struct ReplayFilter {
  /// These runs only (and the other fields still filter them).
  std::vector<std::string> run_ids;
  /// A workflow's stable ID.
  std::string workflow;
  /// Runs pinned to this deployment.
  std::string deployment;
  std::optional<RunStatus> status;
  /// Only runs that have not ended: the ones a new deployment would go on executing.
  bool unfinished_only = false;
  /// At most this many runs, newest first (1-100000).
  std::size_t limit = 1000;
};

struct ReplayReport {
  std::vector<ReplayResult> runs;

  std::size_t count(ReplayResult::Verdict verdict) const {
    std::size_t n = 0;
    for (const auto& run : runs) n += run.verdict == verdict;
    return n;
  }
  /// No run is incompatible (unchecked ones are not counted against the code).
  bool compatible() const { return count(ReplayResult::Verdict::incompatible) == 0; }
};

std::string_view to_string(ReplayResult::Verdict verdict);

/// Replays the runs of the journal at `journal_url` (a path or URL, as WORKFLOW_DATABASE_URL)
/// that match `filter` against the workflows registered in this binary. Opens the journal
/// read-only and changes nothing; needs no engine. Throws ConfigurationError for a journal that
/// cannot be opened.
ReplayReport check_replay(const std::string& journal_url, const ReplayFilter& filter = {});

/// The same on this process's journal (the configured one), through its engine.
ReplayReport check_replay(const ReplayFilter& filter);

}  // namespace workflow

namespace workflow::testing {
/// The same, under the testing toolkit's name (<workflow/testing.hpp>).
using workflow::check_replay;
}  // namespace workflow::testing
