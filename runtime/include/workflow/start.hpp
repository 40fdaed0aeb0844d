// Starting runs.
#pragma once

#include <workflow/detail/signature.hpp>
#include <workflow/run.hpp>
#include <workflow/serialization.hpp>

#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace workflow {

/// How to start a run.
struct StartOptions {
  /// Caller-chosen run ID. Starting again with an ID the journal knows returns that run.
  std::string id;
  /// Deployment to pin the run to; empty: this process's.
  std::string deployment_id;
  /// The queue (declared with declare_queue) the run waits in, `pending`, until its limits let a
  /// worker dequeue it; empty: no queue, the run is due at once. docs/queues.md.
  std::string queue;
  /// Order within the queue: lower leaves sooner; equal priorities leave in creation order.
  int priority = 0;
  /// The queue's per-key limit (QueueOptions::partition_concurrency) counts runs by this key.
  std::string partition_key;
  /// While a run of the queue with this ID has not ended, starting another with it returns that
  /// run instead (empty: none). Free again once that run ends.
  std::string deduplication_id;
};

namespace detail {
std::string start_run(const StartOptions& options, const void* workflow_key, Json arguments);
std::vector<std::string> start_batch(const StartOptions& options, const void* workflow_key,
                                     std::vector<std::pair<std::string, Json>> runs);
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

/// One run of a batch with a caller-chosen ID (see start_batch).
template <class... Args>
struct BatchRun {
  /// Empty: a new ID. An ID the journal knows returns that run, as for `start`.
  std::string id;
  std::tuple<Args...> arguments;
};

namespace detail {
template <class R, class... Params, class Item, class Arguments>
std::vector<Run<result_value_t<R>>> start_batch_of(const StartOptions& options, R (*workflow)(Params...),
                                                   const std::vector<Item>& items, Arguments arguments_of) {
  static_assert(require_serializable<result_value_t<R>>::value);
  if (!options.id.empty())
    throw std::invalid_argument("workflow::start_batch: give each run its ID (BatchRun::id), not StartOptions::id");
  std::vector<std::pair<std::string, Json>> runs;
  runs.reserve(items.size());
  for (const auto& item : items) {
    auto [id, tuple] = arguments_of(item);
    // Converted to the parameter types first, as the plain call would convert them.
    Json journal = std::apply(
        [](const auto&... args) {
          return [](std::type_identity_t<Params>... converted) {
            return arguments_to_journal(converted...);
          }(args...);
        },
        tuple);
    runs.emplace_back(std::move(id), std::move(journal));
  }
  auto ids = start_batch(options, function_key(workflow), std::move(runs));
  return std::vector<Run<result_value_t<R>>>(ids.begin(), ids.end());
}
}  // namespace detail

/// Starts one run of `workflow` per element of `arguments` (each a tuple of its arguments), up
/// to 10,000, in one durable commit: all are in the journal when this returns, or none is. The
/// handles come back in order. `options` (but its `id`) applies to every run; a deduplication ID
/// then names the batch's first run, and the others return it.
template <class R, class... Params, class... Args>
std::vector<Run<detail::result_value_t<R>>> start_batch(const StartOptions& options, R (*workflow)(Params...),
                                                        const std::vector<std::tuple<Args...>>& arguments) {
  static_assert(sizeof...(Args) == sizeof...(Params),
                "workflow::start_batch: the number of arguments does not match the workflow's parameters");
  static_assert((std::is_convertible_v<const Args&, Params> && ...),
                "workflow::start_batch: an argument does not convert to the workflow's parameter type");
  return detail::start_batch_of(options, workflow, arguments, [](const std::tuple<Args...>& tuple) {
    return std::pair<std::string, const std::tuple<Args...>&>(std::string(), tuple);
  });
}

/// The same with a caller-chosen ID per run: a second batch with the same IDs starts nothing new
/// and returns the same runs (idempotent); an ID that names another workflow's run throws
/// InvalidTransitionError once the others were started.
template <class R, class... Params, class... Args>
std::vector<Run<detail::result_value_t<R>>> start_batch(const StartOptions& options, R (*workflow)(Params...),
                                                        const std::vector<BatchRun<Args...>>& runs) {
  static_assert(sizeof...(Args) == sizeof...(Params),
                "workflow::start_batch: the number of arguments does not match the workflow's parameters");
  static_assert((std::is_convertible_v<const Args&, Params> && ...),
                "workflow::start_batch: an argument does not convert to the workflow's parameter type");
  return detail::start_batch_of(options, workflow, runs, [](const BatchRun<Args...>& run) {
    return std::pair<std::string, const std::tuple<Args...>&>(run.id, run.arguments);
  });
}

/// start_batch with default options.
template <class R, class... Params, class Items>
auto start_batch(R (*workflow)(Params...), const Items& items) {
  return start_batch(StartOptions{}, workflow, items);
}

/// Starts the workflow with stable ID `workflow_id` (e.g. `workflow//./src/orders//process_order`)
/// on `arguments`, a JSON array with one element per parameter: for tools and services that do
/// not link the workflow's code. The run waits as `pending` until a worker that has the workflow
/// claims it. Throws NotRegisteredError, writing nothing, when no deployment has registered the
/// ID.
Run<> start_by_id(const StartOptions& options, const std::string& workflow_id, Json arguments);

/// start_batch for tools: `runs` holds `{id (may be empty), arguments as a JSON array}`.
std::vector<Run<>> start_batch_by_id(const StartOptions& options, const std::string& workflow_id,
                                     std::vector<std::pair<std::string, Json>> runs);

}  // namespace workflow
