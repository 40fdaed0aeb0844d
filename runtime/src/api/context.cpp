// The workflow-side API: sleeps, the deterministic clock and random stream, metadata.
#include <workflow/context.hpp>
#include <workflow/detached.hpp>
#include <workflow/events.hpp>
#include <workflow/parallel.hpp>
#include <workflow/parallel_map.hpp>
#include <workflow/versioning.hpp>

#include <cxxabi.h>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <workflow/errors.hpp>

#include "engine/run_context.hpp"
#include "util/time.hpp"

namespace workflow {
namespace {

detail::RunContext& workflow_context(const char* function) {
  auto* context = detail::RunContext::current();
  if (!context || detail::current_step())
    throw NotInWorkflowError(std::string("workflow::") + function +
                             " can only be used in a workflow body (not in a step or outside a run)");
  return *context;
}

}  // namespace

void sleep(std::chrono::milliseconds duration, std::source_location where) {
  // The runtime's clock, not the system's: the two differ under a test's virtual clock.
  workflow_context("sleep").sleep_until(detail::wall_now() + duration, where);
}

void sleep_until(TimePoint deadline, std::source_location where) {
  workflow_context("sleep_until").sleep_until(deadline, where);
}

bool patched(std::string_view change_id) {
  if (change_id.empty()) throw std::invalid_argument("workflow::patched: the change ID must not be empty");
  return workflow_context("patched").patched(change_id);
}

void deprecate_patch(std::string_view change_id) {
  workflow_context("deprecate_patch").deprecate_patch(change_id);
}

TimePoint now() { return workflow_context("now").now(); }

namespace detail {

DetachedChildrenScope::DetachedChildrenScope()
    : was_detached_(workflow_context("detached").set_detach_children(true)) {}

DetachedChildrenScope::~DetachedChildrenScope() {
  if (auto* context = RunContext::current()) context->set_detach_children(was_detached_);
}

void run_parallel(const std::vector<std::function<void()>>& branches) {
  workflow_context("parallel").run_parallel(branches);
}

void run_parallel_map(std::size_t count, const std::function<void(std::size_t)>& item, std::size_t max_in_flight) {
  workflow_context("parallel_map").run_parallel_map(count, item, max_in_flight);
}

Json wait_for_event_json(std::string_view type, std::optional<std::chrono::milliseconds> timeout,
                         const std::source_location& where) {
  return workflow_context("wait_for_event").wait_for_event(type, timeout, where);
}

void throw_event_payload_error(std::string_view type, const char* wanted, const char* cause) {
  const auto* metadata = current_workflow_metadata();
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> readable(abi::__cxa_demangle(wanted, nullptr, nullptr, &status), std::free);
  throw EventPayloadError("run " + (metadata ? metadata->run_id : std::string("?")) + ": the payload of event '" +
                          std::string(type) + "' does not convert to " + (readable ? readable.get() : wanted) +
                          ": " + cause);
}

}  // namespace detail

double random() {
  return static_cast<double>(workflow_context("random").next_random() >> 11) * 0x1.0p-53;
}

std::uint64_t random_u64() { return workflow_context("random_u64").next_random(); }

const StepMetadata& step_metadata() {
  auto* step = detail::current_step();
  if (!step)
    throw NotInWorkflowError("workflow::step_metadata can only be used while a step runs for a run");
  return *step;
}

bool stop_requested() {
  auto* step = detail::current_step();
  return step && step->stop_token.stop_requested();
}

const WorkflowMetadata& workflow_metadata() {
  auto* metadata = detail::current_workflow_metadata();
  if (!metadata)
    throw NotInWorkflowError("workflow::workflow_metadata can only be used inside a run");
  return *metadata;
}

bool in_run() { return detail::current_workflow_metadata() != nullptr; }

}  // namespace workflow
