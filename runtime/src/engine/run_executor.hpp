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

}  // namespace workflow::detail
