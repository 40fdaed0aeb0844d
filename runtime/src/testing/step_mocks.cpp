// Step mocks: a step found by its function's address (the registry's key), its body replaced
// through the runtime's step overrides (engine/step_overrides.hpp).
#include "testing/environment_state.hpp"
#include "testing/function_names.hpp"

#include "engine/registry.hpp"
#include "engine/step_overrides.hpp"

namespace workflow::testing {

std::string TestEnvironment::registered_step_id(const void* key, const std::type_info& type,
                                                const char* operation) const {
  auto& registry = workflow::detail::Registry::instance();
  if (auto id = registry.step_id_by_key(key)) return *id;
  std::string function = detail::describe_function(key, type);
  if (const auto* workflow = registry.workflow_by_key(key))
    throw NotAStepError(std::string("env.") + operation + ": " + function + " is the workflow '" + workflow->id +
                        "', not a step; only steps can be mocked and counted (a workflow's calls are "
                        "what the test observes)");
  throw NotAStepError(std::string("env.") + operation + ": " + function +
                      " is not a registered step: declare it [[workflow::step]] and build the file "
                      "that defines it through target_workflow_sources (wfc registers steps)");
}

void TestEnvironment::add_mock(const void* key, const std::type_info& type,
                               std::function<Json(const Json&)> replacement) {
  require_running("mock a step");
  workflow::detail::set_step_override(registered_step_id(key, type, "mock"), std::move(replacement));
}

}  // namespace workflow::testing
