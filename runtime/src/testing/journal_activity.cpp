// Reading the journal's activity for the virtual clock.
#include "testing/journal_activity.hpp"

#include "engine/engine.hpp"

#include <algorithm>

namespace workflow::testing::detail {

JournalActivity observe_journal(workflow::detail::Engine& engine) {
  workflow::detail::RunFilter every_run;
  every_run.limit = 1000000;  // a test's journal; the limit only keeps the statement portable
  auto runs = engine.store().read()->list_runs(every_run);
  auto now = workflow::detail::wall_now();
  JournalActivity activity;
  for (const auto& run : runs) {
    if (is_final(run.status)) continue;
    std::string described = run.id + " (" + std::string(to_string(run.status)) + ")";
    // A claim, an execution and a start in this process all hold the run's lease.
    if (!run.owner.empty() || (run.ready_at && *run.ready_at <= now)) {
      activity.busy = true;
      if (activity.busy_run.empty()) activity.busy_run = described;
      continue;
    }
    if (activity.idle_run.empty()) activity.idle_run = described;
    if (run.ready_at)
      activity.next_wake_up = std::min(activity.next_wake_up.value_or(*run.ready_at), *run.ready_at);
  }
  return activity;
}

}  // namespace workflow::testing::detail
