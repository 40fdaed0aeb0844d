// Executes a run once: replays its workflow body against the journal up to the next
// suspension, failure or completion, and records the outcome.
#pragma once

#include "store/records.hpp"

namespace workflow::detail {

class Engine;

/// Executes `run`, which this worker has claimed. Never throws: every outcome is recorded or,
/// when the worker no longer owns the run, dropped.
void execute_run(Engine& engine, const RunRecord& run);

}  // namespace workflow::detail
