// The workflows and steps this process has registered (wfc emits the registrations).
#pragma once

#include <workflow/detail/dispatch.hpp>

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace workflow::detail {

struct WorkflowDefinition {
  std::string id;
  const void* key;
  JournalInvoker invoke;
};

class Registry {
 public:
  static Registry& instance();

  void add_workflow(std::string_view id, const void* key, JournalInvoker invoke);
  void add_step(std::string_view id, const void* key);

  /// The workflow registered for the function at `key`, or null.
  const WorkflowDefinition* workflow_by_key(const void* key) const;
  const WorkflowDefinition* workflow(std::string_view id) const;
  /// The ID of the step registered for the function at `key`, or nothing.
  std::optional<std::string> step_id_by_key(const void* key) const;
  std::vector<std::string> workflow_ids() const;
  /// One message per ID registered for two different functions.
  std::vector<std::string> conflicts() const;

 private:
  mutable std::mutex mutex_;
  // Node-based maps: definitions are handed out by pointer and must not move.
  std::unordered_map<std::string, WorkflowDefinition> workflows_;
  std::unordered_map<const void*, const WorkflowDefinition*> workflows_by_key_;
  std::unordered_map<std::string, const void*> steps_;
  std::unordered_map<const void*, std::string> step_ids_by_key_;
  std::vector<std::string> conflicts_;
};

/// The workflow registered for the function at `workflow_key`; throws NotRegisteredError naming
/// `caller` (`workflow::start`) when it is none (defined in api/start.cpp).
const WorkflowDefinition& registered_workflow(const void* workflow_key, const char* caller);

}  // namespace workflow::detail
