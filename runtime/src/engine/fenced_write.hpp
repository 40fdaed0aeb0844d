// The one way an executing worker writes to its run: only while it still holds the run.
//
// A worker that lost its lease (it stalled, another worker took over) or whose run was cancelled
// must not record anything more; checking ownership inside the write transaction makes that
// exact, whatever the timing.
#pragma once

#include "store/journal_store.hpp"

#include <functional>
#include <vector>

namespace workflow::detail {

/// Whether `fence` (the run as it stands) is still held by `owner` in `attempt` and not final:
/// the condition for any write of an execution, and for it to go on at all.
inline bool still_holds(const std::optional<RunFence>& fence, std::string_view owner, int attempt) {
  return fence && fence->owner == owner && fence->attempt == attempt && !is_final(fence->status);
}

/// `paused`: written, but the run was paused meanwhile: the worker must stop and release it.
enum class FenceResult { written, paused, cancelled, lost };

/// Appends `events` to the run (of `workflow`, which the log names) and applies `update` to its
/// record, provided `owner` holds the run in `attempt` and it is not final. Writes nothing otherwise. A paused run stays paused (and not due) unless
/// `update` ends it: the step that was running when it was paused still records its result.
FenceResult write_if_owned(StoreTransaction& transaction, std::string_view run_id, std::string_view workflow,
                           std::string_view owner, int attempt, const std::vector<Event>& events,
                           const std::function<void(RunRecord&)>& update = {});

}  // namespace workflow::detail
