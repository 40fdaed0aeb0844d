// `GET /metrics` of `wf serve`: the journal's state for Prometheus, whoever writes it
// (docs/metrics.md). Workers serve their own process's metrics (Config::metrics_address).
#pragma once

#include <workflow/inspect.hpp>
#include <workflow/retention.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace workflow::ops {

/// `counts` (workflow::count_runs) at `now` and the journal's `usage`, in Prometheus' text
/// exposition format.
std::string journal_metrics_text(const std::vector<RunCount>& counts, TimePoint now, const JournalUsage& usage);

}  // namespace workflow::ops
