// Starting runs.
#pragma once

#include <workflow/run.hpp>
#include <workflow/serialization.hpp>

#include <string>
#include <tuple>
#include <type_traits>

namespace workflow {

/// How to start a run.
struct StartOptions {
  /// Caller-chosen run ID. Starting again with an ID the journal knows returns that run.
  std::string id;
  /// Deployment to pin the run to; empty: this process's.
  std::string deployment_id;
};

namespace detail {
std::string start_run(const StartOptions& options, const void* workflow_key, Json arguments);
template <class F>
const void* function_key(F* fn) {
  return reinterpret_cast<const void*>(fn);
}
}  // namespace detail

/// Starts `workflow(args...)` as a durable run and returns its handle at once. The run is in the
/// journal when this returns. `workflow` must be a `[[workflow::workflow]]` function.
template <class R, class... Params, class... Args>
Run<R> start(const StartOptions& options, R (*workflow)(Params...), Args&&... args) {
  static_assert(sizeof...(Args) == sizeof...(Params),
                "workflow::start: the number of arguments does not match the workflow's parameters");
  static_assert((std::is_constructible_v<std::decay_t<Params>, Args&&> && ...),
                "workflow::start: an argument does not convert to the workflow's parameter type");
  static_assert((detail::require_serializable<std::decay_t<Params>>::value && ...));
  static_assert(detail::require_serializable<R>::value);
  std::tuple<std::decay_t<Params>...> values(std::forward<Args>(args)...);
  return Run<R>(detail::start_run(options, detail::function_key(workflow), detail::arguments_to_journal(values)));
}

/// Starts `workflow(args...)` with default options.
template <class R, class... Params, class... Args>
Run<R> start(R (*workflow)(Params...), Args&&... args) {
  return start(StartOptions{}, workflow, std::forward<Args>(args)...);
}

/// Starts the workflow with stable ID `workflow_id` (e.g. `workflow//./src/orders//process_order`)
/// on `arguments`, a JSON array with one element per parameter: for tools and services that do
/// not link the workflow's code. The run waits as `pending` until a worker that has the workflow
/// claims it. Throws NotRegisteredError, writing nothing, when no deployment has registered the
/// ID.
Run<> start_by_id(const StartOptions& options, const std::string& workflow_id, Json arguments);

}  // namespace workflow
