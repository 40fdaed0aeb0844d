// Fan-out over data: one parallel branch per item of a list whose size is known only at run time,
// executed on a bounded pool of threads.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace workflow {

/// How workflow::parallel_map executes its items.
struct ParallelMapOptions {
  /// At most this many items execute at once; 0 (the default) means kParallelMapThreads. Values
  /// above kParallelMapThreads are lowered to it: each item in flight holds a thread.
  std::size_t max_in_flight = 0;
};

/// The most threads one parallel_map call uses, and so the most items it executes at once.
inline constexpr std::size_t kParallelMapThreads = 64;

namespace detail {
void run_parallel_map(std::size_t count, const std::function<void(std::size_t)>& item, std::size_t max_in_flight);
}  // namespace detail

/// Calls `fn(item)` for every item (typically a lambda that calls a step) on a pool of at most
/// `options.max_in_flight` threads, and returns the results in item order:
///
///     auto sizes = workflow::parallel_map(urls, [](const std::string& url) { return fetch_size(url); });
///     auto sizes = workflow::parallel_map(urls, fetch_one, {.max_in_flight = 8});
///
/// Item `i` (from 0) is branch `i + 1` of the call, as in workflow::parallel: its calls are
/// journaled under `p<N>.<i+1>/...`, so a replay gives the same results whichever item finished
/// first. Each item's step results are committed when the item ends, batched with other items'
/// by the group commit, and the call returns once they are all durable. If an item must wait (a
/// retry back-off, a sleep), the others still run to their ends, then the run suspends; on resume
/// finished items replay from the journal and only the unfinished ones run. Every item runs to
/// its end even when another fails; then the first failing item's exception, in item order, is
/// rethrown here. `fn` is called on several threads at once. Workflow bodies only; `fn` must
/// return a value.
template <class T, class F>
auto parallel_map(const std::vector<T>& items, F&& fn, ParallelMapOptions options = {})
    -> std::vector<std::decay_t<std::invoke_result_t<F&, const T&>>> {
  using Result = std::decay_t<std::invoke_result_t<F&, const T&>>;
  static_assert(!std::is_void_v<Result>,
                "the function given to workflow::parallel_map must return a value (return the step's result)");
  std::vector<std::optional<Result>> results(items.size());
  detail::run_parallel_map(
      items.size(), [&](std::size_t i) { results[i].emplace(fn(items[i])); }, options.max_in_flight);
  std::vector<Result> ordered;
  ordered.reserve(results.size());
  for (auto& result : results) ordered.push_back(std::move(*result));
  return ordered;
}

}  // namespace workflow
