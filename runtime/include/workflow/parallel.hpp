// Parallel steps: several branches of one workflow run at once, each on its own thread.
#pragma once

#include <workflow/serialization.hpp>

#include <functional>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace workflow {
namespace detail {
void run_parallel(const std::vector<std::function<void()>>& branches);

template <class Tuple, class... F, std::size_t... I>
Tuple run_branches(std::index_sequence<I...>, F&... branches) {
  std::tuple<std::optional<std::invoke_result_t<F&>>...> results;
  std::vector<std::function<void()>> bodies{[&] { std::get<I>(results).emplace(branches()); }...};
  run_parallel(bodies);
  return Tuple(std::move(*std::get<I>(results))...);
}
}  // namespace detail

/// Runs the branches (callables, typically lambdas that call steps) at the same time and returns
/// their results as a tuple, in argument order:
///
///     auto [charge, stock] = workflow::parallel([&] { return charge_card(order); },
///                                               [&] { return reserve_stock(order); });
///
/// Each branch's step calls are journaled under their own keys (`p3.1/step-1`, ...), so a replay
/// gives the same results whichever branch finished first. The call returns when every branch
/// has; if a branch must wait (a retry back-off, a sleep), the run suspends and, on resume,
/// branches that finished replay from the journal. A branch's exception is rethrown here (the
/// first in argument order). Workflow bodies only; each branch must return a value.
template <class... F>
std::tuple<std::invoke_result_t<F&>...> parallel(F&&... branches) {
  static_assert(sizeof...(F) > 0, "workflow::parallel needs at least one branch");
  static_assert((!std::is_void_v<std::invoke_result_t<F&>> && ...),
                "each workflow::parallel branch must return a value (return the step's result)");
  return detail::run_branches<std::tuple<std::invoke_result_t<F&>...>>(std::index_sequence_for<F...>{},
                                                                       branches...);
}

}  // namespace workflow
