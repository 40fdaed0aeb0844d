// Starting runs.
#pragma once

#include <workflow/detail/signature.hpp>
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
Run<detail::result_value_t<R>> start(const StartOptions& options, R (*workflow)(Params...), Args&&... args) {
  static_assert(sizeof...(Args) == sizeof...(Params),
                "workflow::start: the number of arguments does not match the workflow's parameters");
  static_assert((std::is_convertible_v<Args&&, Params> && ...),
                "workflow::start: an argument does not convert to the workflow's parameter type");
  static_assert(detail::require_serializable<detail::result_value_t<R>>::value);
  // Converted to the parameter types first, as the plain call would convert them.
  auto journal = [](std::type_identity_t<Params>... converted) {
    return detail::arguments_to_journal(converted...);
  };
  return Run<detail::result_value_t<R>>(
      detail::start_run(options, detail::function_key(workflow), journal(std::forward<Args>(args)...)));
}

/// Starts `workflow(args...)` with default options.
template <class R, class... Params, class... Args>
Run<detail::result_value_t<R>> start(R (*workflow)(Params...), Args&&... args) {
  return start(StartOptions{}, workflow, std::forward<Args>(args)...);
}

/// Starts the workflow with stable ID `workflow_id` (e.g. `workflow//./src/orders//process_order`)
/// on `arguments`, a JSON array with one element per parameter: for tools and services that do
/// not link the workflow's code. The run waits as `pending` until a worker that has the workflow
/// claims it. Throws NotRegisteredError, writing nothing, when no deployment has registered the
/// ID.
Run<> start_by_id(const StartOptions& options, const std::string& workflow_id, Json arguments);

}  // namespace workflow
