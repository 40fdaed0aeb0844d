// workflow::start: resolves the workflow function to its registration and creates the run.
#include <workflow/errors.hpp>
#include <workflow/start.hpp>

#include "engine/engine.hpp"

#include <stdexcept>

namespace workflow::detail {

const WorkflowDefinition& registered_workflow(const void* workflow_key, const char* caller) {
  const WorkflowDefinition* workflow = Registry::instance().workflow_by_key(workflow_key);
  if (!workflow)
    throw NotRegisteredError(std::string(caller) +
                             ": this function is not a registered workflow; tag it "
                             "[[workflow::workflow]] and build its source with wfc (target_workflow_sources)");
  return *workflow;
}

std::string start_run(const StartOptions& options, const void* workflow_key, Json arguments) {
  return Engine::instance()->start_run(options, registered_workflow(workflow_key, "workflow::start").id,
                                       std::move(arguments));
}

std::vector<std::string> start_batch(const StartOptions& options, const void* workflow_key,
                                     std::vector<std::pair<std::string, Json>> runs) {
  return Engine::instance()->start_batch(options, registered_workflow(workflow_key, "workflow::start_batch").id,
                                         std::move(runs));
}

}  // namespace workflow::detail

namespace workflow {

Run<> start_by_id(const StartOptions& options, const std::string& workflow_id, Json arguments) {
  return Run<>(detail::Engine::instance()->start_run(options, workflow_id, std::move(arguments)));
}

std::vector<Run<>> start_batch_by_id(const StartOptions& options, const std::string& workflow_id,
                                     std::vector<std::pair<std::string, Json>> runs) {
  if (!options.id.empty())
    throw std::invalid_argument("workflow::start_batch_by_id: give each run its ID, not StartOptions::id");
  auto ids = detail::Engine::instance()->start_batch(options, workflow_id, std::move(runs));
  return std::vector<Run<>>(ids.begin(), ids.end());
}

}  // namespace workflow

