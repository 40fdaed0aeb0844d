// The operations that change or check which code runs execute on (docs/versioning.md): replay
// checks and upgrades, shared by the CLI and the REST API like operations.hpp. Both need the
// workflows' code: in the standalone `wf` (which has none) every run comes back unchecked, and an
// upgrade is refused; run them through a binary that embeds wf (<workflow/wf.hpp>).
#pragma once

#include <workflow/serialization.hpp>

namespace workflow::ops {

/// Replays runs of this process's journal against this binary's code, from
/// `{"run_ids"?: [...], "workflow"?, "deployment"?, "status"?, "unfinished"?: bool, "limit"?}`;
/// returns `{"compatible": bool, "counts": {...}, "runs": [...]}`.
Json replay_check_json(const Json& request);

/// Moves replay-compatible unfinished runs from `{"from", "to"?: "latest", "dry_run"?: bool,
/// "workflow"?}`; returns `{"from", "to", "dry_run", "moved": N, "runs": [...]}`.
Json upgrade_json(const Json& request);

}  // namespace workflow::ops
