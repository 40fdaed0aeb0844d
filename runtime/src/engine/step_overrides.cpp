// The process's table of replaced step bodies.
#include "engine/step_overrides.hpp"

#include <map>
#include <mutex>

namespace workflow::detail {
namespace {

std::mutex g_mutex;
std::map<std::string, std::shared_ptr<const StepOverride>, std::less<>> g_overrides;

}  // namespace

void set_step_override(std::string step_id, StepOverride replacement) {
  auto shared = std::make_shared<const StepOverride>(std::move(replacement));
  std::lock_guard lock(g_mutex);
  g_overrides.insert_or_assign(std::move(step_id), std::move(shared));
}

std::shared_ptr<const StepOverride> find_step_override(std::string_view step_id) {
  std::lock_guard lock(g_mutex);
  auto found = g_overrides.find(step_id);
  return found == g_overrides.end() ? nullptr : found->second;
}

void clear_step_overrides() {
  std::lock_guard lock(g_mutex);
  g_overrides.clear();
}

}  // namespace workflow::detail
