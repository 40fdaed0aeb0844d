// The runtime side of the dispatch interface that wfc targets (docs/dispatch.md).
#include <workflow/detail/dispatch.hpp>
#include <workflow/errors.hpp>

#include "engine/registry.hpp"
#include "engine/run_context.hpp"
#include "engine/step_overrides.hpp"

#include <memory>
#include <vector>

namespace workflow::detail {

namespace {

// A replaced step's attempt, on the caller's thread: the replacement reads the journaled input.
struct OverriddenAttempt {
  const StepOverride& replacement;
  const Json& input;
};

Json run_overridden_attempt(void* state) {
  auto& attempt = *static_cast<OverriddenAttempt*>(state);
  return attempt.replacement(attempt.input);
}

// The same on an attempt's own thread (a step with a timeout), which knows only the input: the
// step it runs for is the one current there.
Json invoke_overridden_step(const Json& input) {
  const StepMetadata* step = current_step();
  auto replacement = step ? find_step_override(step->step_name) : nullptr;
  if (!replacement)
    throw FatalError("the replacement of step '" + (step ? step->step_name : std::string("?")) +
                     "' was removed while the step ran");
  return (*replacement)(input);
}

}  // namespace

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
  if (auto replacement = find_step_override(id)) {
    OverriddenAttempt attempt{*replacement, input};
    return context->dispatch_step(id, input, StepBody{&attempt, &run_overridden_attempt},
                                  &invoke_overridden_step, options, where);
  }
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
