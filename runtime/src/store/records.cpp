// Names of event types and run statuses as stored in the journal.
#include "store/records.hpp"

#include <array>

namespace workflow {
namespace {
constexpr std::array<std::string_view, 7> kStatusNames = {
    "pending", "running", "waiting", "paused", "completed", "failed", "cancelled"};
}

std::string_view to_string(RunStatus status) {
  return kStatusNames[static_cast<std::size_t>(status)];
}

std::optional<RunStatus> parse_run_status(std::string_view name) {
  for (std::size_t i = 0; i < kStatusNames.size(); ++i)
    if (kStatusNames[i] == name) return static_cast<RunStatus>(i);
  return std::nullopt;
}

namespace detail {
namespace {
// In the order of EventType.
constexpr std::array<std::string_view, 21> kEventNames = {
    "run_created",    "run_started",    "step_started",   "step_completed",  "step_retrying",
    "step_failed",    "wait_created",   "wait_completed", "event_waiting",   "event_received",
    "run_paused",     "run_resumed",    "child_started",  "child_completed", "run_restarted",
    "run_completed",  "run_failed",     "run_cancelled",   "patch_recorded",
    "run_upgraded",   "webhook_created"};
}

std::string_view to_string(EventType type) { return kEventNames[static_cast<std::size_t>(type)]; }

std::optional<EventType> parse_event_type(std::string_view name) {
  for (std::size_t i = 0; i < kEventNames.size(); ++i)
    if (kEventNames[i] == name) return static_cast<EventType>(i);
  return std::nullopt;
}

std::vector<std::string> prune_status_names(const PruneSelection& selection) {
  if (selection.statuses.empty()) return {"completed", "failed", "cancelled"};
  std::vector<std::string> names;
  for (auto status : selection.statuses) names.emplace_back(to_string(status));
  return names;
}

}  // namespace detail
}  // namespace workflow
