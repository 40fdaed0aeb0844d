// The retention operations (docs/retention.md), shared by the CLI and the REST API like
// operations.hpp: pruning finished runs and marking runs to keep.
#pragma once

#include <workflow/serialization.hpp>

#include <string>

namespace workflow::ops {

/// Deletes finished runs from `{"finished_before": ISO 8601 time or age (`30d`), "status"?: a
/// status or a list of them (completed, failed, cancelled), "dry_run"?: bool}`; returns
/// `{"dry_run", "finished_before", "statuses", "runs", "events", "stream_chunks", "batches",
/// "took_ms", "journal": {"bytes", "free_bytes"}}`.
Json prune_runs_json(const Json& request);

/// Marks the run to keep, or not; returns `{"run": RunSummary}`.
Json keep_run_json(const std::string& run_id, bool keep);

}  // namespace workflow::ops
