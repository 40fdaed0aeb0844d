// workflow::start: resolves the workflow function to its registration and creates the run.
#include <workflow/errors.hpp>
#include <workflow/start.hpp>

#include "engine/engine.hpp"

namespace workflow::detail {

std::string start_run(const StartOptions& options, const void* workflow_key, Json arguments) {
  const WorkflowDefinition* workflow = Registry::instance().workflow_by_key(workflow_key);
  if (!workflow)
    throw NotRegisteredError(
        "workflow::start: this function is not a registered workflow; tag it "
        "[[workflow::workflow]] and build its source with wfc (target_workflow_sources)");
  return Engine::instance()->start_run(options, workflow->id, std::move(arguments));
}

}  // namespace workflow::detail

namespace workflow {

Run<> start_by_id(const StartOptions& options, const std::string& workflow_id, Json arguments) {
  return Run<>(detail::Engine::instance()->start_run(options, workflow_id, std::move(arguments)));
}

}  // namespace workflow

namespace workflow::detail {

}  // namespace workflow::detail
