// upgrade_runs: moves replay-compatible unfinished runs to this binary's deployment.
#include <workflow/errors.hpp>
#include <workflow/upgrade.hpp>

#include "engine/commit_log.hpp"
#include "engine/engine.hpp"
#include "engine/registry.hpp"
#include "engine/replay_check.hpp"
#include "store/event_payloads.hpp"

#include <limits>

namespace workflow {
namespace {

using detail::Engine;
using detail::RunRecord;
using detail::StoreTransaction;

// The deployment `to` names; only this binary's code can vouch for a run replaying.
std::string resolve_target(Engine& engine, const UpgradeOptions& options) {
  const std::string& here = engine.deployment_id();
  std::string target = options.to;
  // The code at hand is this binary's: with workflows registered here, the newest deployment is
  // this one, whether or not a worker of it has started yet.
  if ((target.empty() || target == "latest") && !detail::Registry::instance().workflow_ids().empty()) {
    target = here;
  } else if (target.empty() || target == "latest") {
    auto registrations = engine.store().read()->workflows();
    const detail::WorkflowRegistration* newest = nullptr;
    for (const auto& registration : registrations) {
      if (!newest || registration.registered_at > newest->registered_at) newest = &registration;
    }
    target = newest ? newest->deployment_id : here;
  }
  if (target != here)
    throw ConfigurationError("cannot upgrade runs to deployment " + target + " from this binary (deployment " + here +
                             "): whether a run replays depends on the target's code; run the upgrade from a "
                             "binary of " + target);
  if (target == options.from)
    throw ConfigurationError("the runs are on deployment " + target + " already: nothing to upgrade");
  return target;
}

// Moves the run if it is still as checked: on `from`, unfinished, resting, with no event since.
std::string move_run(Engine& engine, const std::string& run_id, std::int64_t checked_last_event,
                     const std::string& from, const std::string& to) {
  std::string refused;
  engine.writes().run([&](StoreTransaction& transaction) {
    refused.clear();
    transaction.fence(run_id);  // locks the run: a claim or an append waits for this transaction
    auto run = transaction.find_run(run_id);
    auto now = detail::wall_now();
    if (!run || run->deployment_id != from || is_final(run->status)) {
      refused = "it ended or moved meanwhile";
      return;
    }
    if (!run->owner.empty() && run->lease_expires_at > now) {
      refused = "a worker (" + run->owner + ") is executing it; try again once it rests";
      return;
    }
    auto events = transaction.events(run_id);
    if ((events.empty() ? 0 : events.back().id) != checked_last_event) {
      refused = "its journal grew while it was checked; try again";
      return;
    }
    detail::Event upgraded;
    upgraded.run_id = run_id;
    upgraded.type = detail::EventType::run_upgraded;
    upgraded.data = detail::payload::RunUpgraded{from, to};
    upgraded.created_at = now;
    detail::append_logged(transaction, upgraded, {run->workflow_name, run->attempt});
    run->deployment_id = to;
    run->updated_at = now;
    // A worker whose lease ran out may only be slow: without its ownership, its next write is
    // fenced off and its heartbeat renews nothing. The run is due for the target's workers.
    if (!run->owner.empty()) {
      run->owner.clear();
      run->lease_expires_at = TimePoint{};
      run->ready_at = now;
    }
    transaction.update_run(*run);
  });
  return refused;
}

}  // namespace

UpgradeReport upgrade_runs(const UpgradeOptions& options) {
  if (options.from.empty()) throw ConfigurationError("an upgrade needs the deployment to move runs from");
  auto engine = Engine::instance();
  UpgradeReport report;
  report.from = options.from;
  report.to = resolve_target(*engine, options);
  report.dry_run = options.dry_run;
  ReplayFilter selection{.workflow = options.workflow, .deployment = options.from, .unfinished_only = true};
  selection.limit = std::numeric_limits<std::size_t>::max();
  std::vector<RunRecord> runs = detail::runs_matching(*engine->store().read(), selection);
  for (const auto& run : runs) {
    UpgradeResult result;
    result.run_id = run.id;
    result.workflow = run.workflow_name;
    result.status = run.status;
    std::int64_t last_event = 0;
    ReplayResult replay = detail::replay_stored(*engine->store().read(), run, &last_event);
    if (replay.verdict == ReplayResult::Verdict::incompatible) {
      result.reason = "the code of " + report.to + " does not replay it: " + replay.message;
      result.divergence = replay.divergence;
    } else if (replay.verdict == ReplayResult::Verdict::unchecked) {
      result.reason = replay.message;
    } else if (options.dry_run) {
      result.moved = true;
    } else {
      result.reason = move_run(*engine, run.id, last_event, options.from, report.to);
      result.moved = result.reason.empty();
    }
    report.runs.push_back(std::move(result));
  }
  // This process's workers, if it has any, may take the moved runs now.
  if (report.moved() > 0 && !options.dry_run) engine->hint(detail::wall_now());
  return report;
}

}  // namespace workflow
