// The internal dispatch interface: what wfc emits calls to. Specified in docs/dispatch.md.
//
// Not for hand-written user code; its names may change with the compiler. Everything here is
// keyed by the stable IDs that wfc computes (DESIGN §2).
#pragma once

#include <workflow/detail/signature.hpp>
#include <workflow/serialization.hpp>
#include <workflow/step_options.hpp>

#include <source_location>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

/// The version of this interface. wfc writes the version it emits for at the top of every file it
/// generates and stops the build with `#error` when the runtime headers provide another one (a
/// stale wfc paired with newer headers, or the reverse).
#define WORKFLOW_DISPATCH_INTERFACE 2

namespace workflow::detail {

using JournalInvoker = Json (*)(const Json& arguments);

/// A borrowed callable that runs one step attempt on the caller's own arguments.
struct StepBody {
  void* state;
  Json (*run)(void* state);
};

bool add_workflow(std::string_view id, const void* key, JournalInvoker invoke);
bool add_step(std::string_view id, const void* key, const StepOptions& options);
Json dispatch_step(std::string_view id, const Json& input, StepBody body, JournalInvoker invoke,
                   const StepOptions& options, const std::source_location& where);
void enter_workflow(std::string_view id);
Json dispatch_child(std::string_view id, const Json& input, const std::source_location& where);

/// Registers the workflow `Fn` under `id`. wfc emits one per workflow definition, at namespace
/// scope: `static const bool ... = register_workflow<&ns::f>("workflow//./path//ns::f");`
template <auto Fn>
bool register_workflow(std::string_view id) {
  using Traits = function_traits<decltype(Fn)>;
  static_assert(require_serializable<result_value_t<typename Traits::result>>::value);
  return add_workflow(id, reinterpret_cast<const void*>(Fn), &invoke_from_journal<Fn>);
}

/// Registers the step `Fn` under `id`, with its StepOptions.
template <auto Fn>
bool register_step(std::string_view id) {
  static_assert(step_options_problem(step_options<Fn>) == nullptr,
                "invalid WORKFLOW_STEP_OPTIONS for this step (see step_options_problem)");
  return add_step(id, reinterpret_cast<const void*>(Fn), step_options<Fn>);
}

template <auto Fn, class Parameters = typename function_traits<decltype(Fn)>::parameters>
class StepCall;

/// The journaled call of step `Fn`: wfc replaces the callee of `f(a, b)` inside a workflow body,
/// giving `step_call<&ns::f>("step//./path//ns::f")(a, b)`, with `f`'s default arguments written
/// out. Its call operator takes `f`'s parameter types exactly, so the arguments convert and bind
/// as in the plain call. Returns the recorded result on replay; runs the step and records its
/// result otherwise; throws StepFailedError when the step has finally failed.
template <auto Fn, class... P>
class StepCall<Fn, std::tuple<P...>> {
 public:
  using Result = typename function_traits<decltype(Fn)>::result;
  static_assert(step_options_problem(step_options<Fn>) == nullptr,
                "invalid WORKFLOW_STEP_OPTIONS for this step (see step_options_problem)");
  static_assert(require_serializable<result_value_t<Result>>::value);

  explicit constexpr StepCall(std::string_view id) : id_(id) {}

  // `where` defaults to the call's place in the user's source (wfc keeps its lines), named when
  // a replay finds that the call changed.
  returned_t<Result> operator()(P... arguments, std::source_location where = std::source_location::current()) const {
    // The attempt reads the arguments where they are: this frame outlives dispatch_step, which
    // runs every attempt before it returns (an attempt with a timeout runs on its own copy,
    // read from the journaled input).
    std::tuple<P&&...> held(std::forward<P>(arguments)...);
    auto run = [](void* state) -> Json {
      auto& values = *static_cast<std::tuple<P&&...>*>(state);
      return [&]<std::size_t... I>(std::index_sequence<I...>) {
        if constexpr (std::is_void_v<Result>) {
          Fn(pass<P>(std::get<I>(values))...);
          return Json(nullptr);
        } else {
          return to_journal(Fn(pass<P>(std::get<I>(values))...));
        }
      }(std::index_sequence_for<P...>{});
    };
    Json output = dispatch_step(id_, arguments_to_journal(arguments...), StepBody{&held, run},
                                &invoke_from_journal<Fn>, step_options<Fn>, where);
    return result_from_journal<Result>(output);
  }

 private:
  std::string_view id_;
};

template <auto Fn>
constexpr StepCall<Fn> step_call(std::string_view id) {
  return StepCall<Fn>(id);
}

template <auto Fn, class Parameters = typename function_traits<decltype(Fn)>::parameters>
class WorkflowCall;

/// A child workflow: wfc replaces the callee of a call `g(a, b)` to the workflow `g` inside
/// another workflow's body, giving `workflow_call<&g>("workflow//./path//g")(a, b)`. Starts `g`
/// as a child run (once: replay finds the same child), waits for it without holding a thread,
/// and returns its result; throws RunFailedError or RunCancelledError when the child ended so.
template <auto Fn, class... P>
class WorkflowCall<Fn, std::tuple<P...>> {
 public:
  using Result = typename function_traits<decltype(Fn)>::result;
  static_assert(require_serializable<result_value_t<Result>>::value);

  explicit constexpr WorkflowCall(std::string_view id) : id_(id) {}

  returned_t<Result> operator()(P... arguments, std::source_location where = std::source_location::current()) const {
    return result_from_journal<Result>(dispatch_child(id_, arguments_to_journal(arguments...), where));
  }

 private:
  std::string_view id_;
};

template <auto Fn>
constexpr WorkflowCall<Fn> workflow_call(std::string_view id) {
  return WorkflowCall<Fn>(id);
}

/// Called first thing in every rewritten workflow body: throws NotInWorkflowError when the
/// workflow was called directly rather than executed by the engine for a run.
inline void workflow_entry(std::string_view id) { enter_workflow(id); }

}  // namespace workflow::detail
