// What the log says about a run: one record per journal event (docs/logging.md, "Events"), and
// the claims a worker makes, which the journal keeps in the run's record, not as events. The one
// place that decides each event's level, name and fields, so the log tells the story the
// journal, `wf runs show` and the dashboard tell.
#pragma once

#include "log/log_record.hpp"
#include "store/records.hpp"

#include <string_view>

namespace workflow::detail {

/// The run an event belongs to, as its writer knows it (events do not carry it).
struct RunLabel {
  std::string_view workflow;
  /// The run's attempt the event was written in.
  int attempt = 1;
};

/// The level an event of `type` is logged at: run transitions and waits at info, step
/// retries and failures at warn, run failures at error, the rest (step starts and results,
/// deliveries, patches) at debug.
LogLevel level_of(EventType type);

/// The record of `event`, written for the run `run`.
LogRecord transition_record(const Event& event, const RunLabel& run);

/// `worker` claimed `run` to execute it (claim_due_runs, a queue's dispatch): `run_claimed` at
/// info, or `run_taken_over` at warn when it took the run from a holder that died or stalled.
LogRecord claim_record(const RunRecord& run, std::string_view worker);

}  // namespace workflow::detail
