// The runtime side of the dispatch interface that wfc targets (docs/dispatch.md).
#include <workflow/detail/dispatch.hpp>
#include <workflow/errors.hpp>

#include "engine/registry.hpp"
#include "engine/run_context.hpp"

#include <memory>
#include <vector>

namespace workflow::detail {

bool add_workflow(std::string_view id, const void* key, JournalInvoker invoke) {
  Registry::instance().add_workflow(id, key, invoke);
  return true;
}

bool add_step(std::string_view id, const void* key, const StepOptions&) {
  Registry::instance().add_step(id, key);
  return true;
}

Json dispatch_step(std::string_view id, const Json& input, StepBody body, JournalInvoker invoke,
                   const StepOptions& options, const std::source_location& where) {
  // A step calling a step makes a plain call: only workflow bodies journal.
  if (current_step()) return body.run(body.state);
  auto* context = RunContext::current();
  if (!context)
    throw NotInWorkflowError("step '" + std::string(id) +
                             "' was dispatched outside a run; journaled step calls only happen "
                             "inside workflow bodies");
  return context->dispatch_step(id, input, body, invoke, options, where);
}

Json dispatch_child(std::string_view id, const Json& input, const std::source_location& where) {
  auto* context = RunContext::current();
  if (!context || current_step())
    throw NotInWorkflowError("workflow '" + std::string(id) +
                             "' was called as a child outside a workflow body; start it with "
                             "workflow::start(function, args...)");
  return context->call_child(id, input, where);
}

const void* keep_for_run(std::shared_ptr<const void> value) {
  const void* kept = value.get();
  if (auto* context = RunContext::current()) {
    context->keep(std::move(value));
  } else {
    // Outside a run (a step calling a step makes a plain call): kept until the thread ends.
    thread_local std::vector<std::shared_ptr<const void>> outside_runs;
    outside_runs.push_back(std::move(value));
  }
  return kept;
}

void enter_workflow(std::string_view id) {
  auto* context = RunContext::current();
  if (context && !current_step() && context->enter(id)) return;
  throw NotInWorkflowError("'" + std::string(id) +
                           "' is a workflow: start it with workflow::start(function, args...) "
                           "instead of calling it directly");
}

}  // namespace workflow::detail
