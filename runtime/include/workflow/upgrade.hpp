// Moving unfinished runs to a newer deployment (docs/versioning.md, "Upgrades"). Runs are pinned
// to the deployment that started them; this moves each one whose history the code of this binary
// replays, and leaves the others where they are, with the reason.
#pragma once

#include <workflow/replay_check.hpp>
#include <workflow/run_status.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace workflow {

struct UpgradeOptions {
  /// The deployment whose unfinished runs move.
  std::string from;
  /// This binary's deployment, or `latest`: the newest deployment that registered a workflow,
  /// which must be this binary's (the replay check needs the target's code).
  std::string to = "latest";
  /// Check and report, change nothing.
  bool dry_run = false;
  /// Only runs of this workflow (stable ID); empty: all.
  std::string workflow;
};

/// What happened to one run.
struct UpgradeResult {
  std::string run_id;
  std::string workflow;
  RunStatus status = RunStatus::pending;
  /// Moved to the target (on a dry run: would be).
  bool moved = false;
  /// Why it stayed: it does not replay (`divergence`), its workflow is not in this binary, its
  /// record is damaged, or a worker was executing it (try again once it rests).
  std::string reason;
  std::optional<ReplayDivergence> divergence;
};

struct UpgradeReport {
  std::string from;
  std::string to;
  bool dry_run = false;
  std::vector<UpgradeResult> runs;

  std::size_t moved() const {
    std::size_t n = 0;
    for (const auto& run : runs) n += run.moved;
    return n;
  }
};

/// Moves the unfinished runs of `options.from` whose histories this binary's code replays to
/// `options.to`, each in its own transaction, only if nobody executes it and its journal is
/// still the one checked; records `run_upgraded` in each moved run's journal. Throws
/// ConfigurationError when the target is not this binary's deployment or equals the source.
UpgradeReport upgrade_runs(const UpgradeOptions& options);

}  // namespace workflow
