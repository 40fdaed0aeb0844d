// Registration of workflows and steps by stable ID.
#include "engine/registry.hpp"

namespace workflow::detail {

Registry& Registry::instance() {
  static Registry registry;  // function-local: registrations run during static initialisation
  return registry;
}

void Registry::add_workflow(std::string_view id, const void* key, JournalInvoker invoke) {
  std::lock_guard lock(mutex_);
  std::string name(id);
  auto [entry, inserted] = workflows_.try_emplace(name, WorkflowDefinition{name, key, invoke});
  if (!inserted && entry->second.key != key) {
    conflicts_.push_back("workflow ID '" + name + "' is registered for two different functions");
    return;
  }
  workflows_by_key_[key] = &entry->second;
}

void Registry::add_step(std::string_view id, const void* key) {
  std::lock_guard lock(mutex_);
  auto [entry, inserted] = steps_.try_emplace(std::string(id), key);
  if (!inserted && entry->second != key) {
    conflicts_.push_back("step ID '" + std::string(id) + "' is registered for two different functions");
    return;
  }
  step_ids_by_key_.try_emplace(key, id);
}

const WorkflowDefinition* Registry::workflow_by_key(const void* key) const {
  std::lock_guard lock(mutex_);
  auto found = workflows_by_key_.find(key);
  return found == workflows_by_key_.end() ? nullptr : found->second;
}

const WorkflowDefinition* Registry::workflow(std::string_view id) const {
  std::lock_guard lock(mutex_);
  auto found = workflows_.find(std::string(id));
  return found == workflows_.end() ? nullptr : &found->second;
}

std::optional<std::string> Registry::step_id_by_key(const void* key) const {
  std::lock_guard lock(mutex_);
  auto found = step_ids_by_key_.find(key);
  if (found == step_ids_by_key_.end()) return std::nullopt;
  return found->second;
}

std::vector<std::string> Registry::workflow_ids() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> ids;
  for (auto& [id, definition] : workflows_) ids.push_back(id);
  return ids;
}

std::vector<std::string> Registry::conflicts() const {
  std::lock_guard lock(mutex_);
  return conflicts_;
}

}  // namespace workflow::detail
