// The internal dispatch interface: what wfc emits calls to. Specified in docs/dispatch.md.
//
// Not for hand-written user code; its names may change with the compiler. Everything here is
// keyed by the stable IDs that wfc computes (DESIGN §2).
#pragma once

#include <workflow/serialization.hpp>
#include <workflow/step_options.hpp>

#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace workflow::detail {

template <class F>
struct function_traits;
template <class R, class... P>
struct function_traits<R (*)(P...)> {
  using result = R;
  using arguments = std::tuple<std::decay_t<P>...>;
};
template <class R, class... P>
struct function_traits<R (*)(P...) noexcept> : function_traits<R (*)(P...)> {};

/// Calls `Fn` with arguments read from the JSON array `arguments`; returns its result as JSON
/// (null for void). Owns its copies, so it may outlive the caller's frame.
template <auto Fn>
Json invoke_from_journal(const Json& arguments) {
  using Traits = function_traits<decltype(Fn)>;
  auto values = arguments.get<typename Traits::arguments>();
  if constexpr (std::is_void_v<typename Traits::result>) {
    std::apply(Fn, std::move(values));
    return Json(nullptr);
  } else {
    return to_journal(std::apply(Fn, std::move(values)));
  }
}

using JournalInvoker = Json (*)(const Json& arguments);

/// A borrowed callable that runs one step attempt on the caller's own arguments.
struct StepBody {
  void* state;
  Json (*run)(void* state);
};

bool add_workflow(std::string_view id, const void* key, JournalInvoker invoke);
bool add_step(std::string_view id, const void* key, const StepOptions& options);
Json dispatch_step(std::string_view id, const Json& input, StepBody body, JournalInvoker invoke,
                   const StepOptions& options);
void enter_workflow(std::string_view id);
Json dispatch_child(std::string_view id, const Json& input);

/// Registers the workflow `Fn` under `id`. wfc emits one per workflow definition, at namespace
/// scope: `static const bool ... = register_workflow<&ns::f>("workflow//./path//ns::f");`
template <auto Fn>
bool register_workflow(std::string_view id) {
  using Traits = function_traits<decltype(Fn)>;
  static_assert(require_serializable<typename Traits::result>::value);
  return add_workflow(id, reinterpret_cast<const void*>(Fn), &invoke_from_journal<Fn>);
}

/// Registers the step `Fn` under `id`, with its StepOptions.
template <auto Fn>
bool register_step(std::string_view id) {
  static_assert(step_options_problem(step_options<Fn>) == nullptr,
                "invalid WORKFLOW_STEP_OPTIONS for this step (see step_options_problem)");
  return add_step(id, reinterpret_cast<const void*>(Fn), step_options<Fn>);
}

/// The journaled call of step `Fn` (stable ID `id`): wfc replaces `f(a, b)` inside a workflow
/// body with `call_step<&ns::f>("step//./path//ns::f", a, b)`, default arguments written out.
/// Returns the recorded result on replay; runs the step and records its result otherwise;
/// throws StepFailedError when the step has finally failed.
template <auto Fn, class... Args>
typename function_traits<decltype(Fn)>::result call_step(std::string_view id, Args&&... args) {
  using Traits = function_traits<decltype(Fn)>;
  using Result = typename Traits::result;
  static_assert(step_options_problem(step_options<Fn>) == nullptr,
                "invalid WORKFLOW_STEP_OPTIONS for this step (see step_options_problem)");
  static_assert(require_serializable<Result>::value);
  typename Traits::arguments values(std::forward<Args>(args)...);
  Json input = arguments_to_journal(values);
  auto run = [](void* state) -> Json {
    auto& arguments = *static_cast<typename Traits::arguments*>(state);
    if constexpr (std::is_void_v<Result>) {
      std::apply(Fn, arguments);
      return Json(nullptr);
    } else {
      return to_journal(std::apply(Fn, arguments));
    }
  };
  Json output = dispatch_step(id, input, StepBody{&values, run}, &invoke_from_journal<Fn>,
                              step_options<Fn>);
  return from_journal<Result>(output);
}

/// A child workflow: wfc replaces a call `g(a, b)` to the workflow `g` inside another workflow's
/// body with `call_workflow<&g>("workflow//./path//g", a, b)`. Starts `g` as a child run (once:
/// replay finds the same child), waits for it without holding a thread, and returns its result;
/// throws RunFailedError or RunCancelledError when the child ended so.
template <auto Fn, class... Args>
typename function_traits<decltype(Fn)>::result call_workflow(std::string_view id, Args&&... args) {
  using Traits = function_traits<decltype(Fn)>;
  using Result = typename Traits::result;
  static_assert(require_serializable<Result>::value);
  typename Traits::arguments values(std::forward<Args>(args)...);
  return from_journal<Result>(dispatch_child(id, arguments_to_journal(values)));
}

/// Called first thing in every rewritten workflow body: throws NotInWorkflowError when the
/// workflow was called directly rather than executed by the engine for a run.
inline void workflow_entry(std::string_view id) { enter_workflow(id); }

}  // namespace workflow::detail
