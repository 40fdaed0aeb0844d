// Replaying one recorded run against the workflow code of this binary, executing nothing
// (<workflow/replay_check.hpp>, docs/versioning.md). Shared by check_replay and by upgrades,
// which move a run to another deployment only when this says the code replays it.
#pragma once

#include "store/journal_store.hpp"
#include "store/records.hpp"

#include <workflow/replay_check.hpp>

#include <vector>

namespace workflow::detail {

/// The runs `filter` selects, newest first (or in the order of `filter.run_ids`, each of which
/// must exist: RunNotFoundError).
std::vector<RunRecord> runs_matching(StoreTransaction& transaction, const ReplayFilter& filter);

/// The verdict on `run` whose journal is `events`: compatible when the body makes every call the
/// journal recorded, in order, up to where the run stands (or its recorded end).
ReplayResult replay_recorded(const RunRecord& run, const std::vector<Event>& events);

/// Reads `run`'s journal in `transaction` and replays it; a run whose record is damaged, or whose
/// workflow this binary lacks, is `unchecked`. `last_event_id`, if given, receives the ID of the
/// journal's last event as read (0 for none or a damaged one): what an upgrade checks again.
ReplayResult replay_stored(StoreTransaction& transaction, const RunRecord& run,
                           std::int64_t* last_event_id = nullptr);

}  // namespace workflow::detail
