// Executes a run once: replays its workflow body against the journal up to the next
// suspension, failure or completion, and records the outcome.
#pragma once

#include "store/records.hpp"

#include <optional>
#include <vector>

namespace workflow::detail {

class Engine;

/// Executes `run`, which this worker has claimed. `journal`, when given, is the run's complete
/// journal and `run` its current record (a run this process just created); otherwise both are
/// read. Never throws: every outcome is recorded or, when the worker no longer owns the run,
/// dropped.
void execute_run(Engine& engine, const RunRecord& run, std::optional<std::vector<Event>> journal);

/// Gives up a run this worker holds in `attempt` after an execution that could not record its
/// outcome, so that it is due again shortly for any worker (heartbeats would otherwise keep its
/// lease alive with nobody executing it). When even that write fails, the engine tries again at
/// its next heartbeat.
void release_after_failure(Engine& engine, const std::string& run_id, int attempt);

}  // namespace workflow::detail
