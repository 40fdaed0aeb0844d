// Ownership-fenced writes.
#include "engine/fenced_write.hpp"

#include "engine/commit_log.hpp"
#include "engine/webhook_delivery.hpp"

namespace workflow::detail {

FenceResult write_if_owned(StoreTransaction& transaction, std::string_view run_id, std::string_view workflow,
                           std::string_view owner, int attempt, const std::vector<Event>& events,
                           const std::function<void(RunRecord&)>& update) {
  auto current = transaction.fence(run_id);
  if (current && current->status == RunStatus::cancelled) return FenceResult::cancelled;
  // A restart makes a new attempt: the old one is fenced off even where this same worker claimed
  // the run again.
  if (!still_holds(current, owner, attempt)) return FenceResult::lost;
  bool paused = current->status == RunStatus::paused;
  for (const auto& event : events) {
    append_logged(transaction, event, {workflow, attempt});
    // The webhook's row goes with its event: a POST finds it exactly when the journal has it.
    if (event.type == EventType::webhook_created) transaction.insert_webhook(webhook_record(event, attempt));
  }
  if (update) {
    auto run = transaction.find_run(run_id);
    update(*run);
    if (paused && !is_final(run->status)) {
      run->status = RunStatus::paused;
      run->ready_at.reset();
    }
    run->updated_at = events.empty() ? wall_now() : events.back().created_at;
    transaction.update_run(*run);
  }
  return paused ? FenceResult::paused : FenceResult::written;
}

}  // namespace workflow::detail
