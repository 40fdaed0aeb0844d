// The test toolkit: runs of real workflows in a test, with a journal of their own, a virtual
// clock (sleeps, event timeouts and retry back-offs take no wall time), steps replaced by mocks,
// and a run's calls to assert on. Link Workflow::testing. Guide: docs/testing.md.
//
//   workflow::testing::TestEnvironment env;
//   env.mock(charge_card, [](const Order& order) { return "ch_test_" + order.id; });
//   auto run = env.start(process_order, Order{"o-1", "a@b.c", 4200});
//   EXPECT_EQ(env.result(run), "ch_test_o-1");   // the 30-day sleep inside took no time
//   EXPECT_EQ(env.attempts(charge_card, run), 1);
//
// Works with any test framework; nothing here depends on GoogleTest. Thread safety: one
// environment per process at a time (it owns the process's engine); its members may be called
// from the test's thread while the runs execute on the engine's workers.
#pragma once

#include <workflow/detail/signature.hpp>
#include <workflow/errors.hpp>
#include <workflow/inspect.hpp>
#include <workflow/run.hpp>
#include <workflow/replay_check.hpp>
#include <workflow/start.hpp>
#include <workflow/webhooks.hpp>

#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

namespace workflow::testing {

/// How a TestEnvironment is set up. The defaults suit unit tests.
struct TestOptions {
  /// The journal, as Config::database (a path, `sqlite://...` or `postgresql://...`). Empty: a
  /// fresh SQLite file in a temporary directory, removed with the environment.
  std::string database;
  /// Worker threads executing runs.
  unsigned workers = 4;
  /// How long, in real time, result(), advance() and wait_until_idle() wait for runs that keep
  /// executing, or that wait for something no timer ends (an event nobody sends), before they
  /// throw TimeoutError.
  std::chrono::milliseconds real_time_limit{10000};
};

/// One durable call of a run, as a test asserts on it: a step, a sleep, a wait for an event or a
/// child run, in the order the workflow made them.
struct Call {
  /// `step-1`, `wait-2`, `hook-3`, `child-4` (prefixed in parallel branches and restarts).
  std::string correlation_id;
  /// `step`, `sleep`, `event`, `child`, `patch` (workflow::patched took the new code here) or
  /// `webhook` (workflow::create_webhook; a wait on it is an `event` named `$webhook/<its ID>`).
  std::string kind;
  /// The step's or child workflow's stable ID, the event type, the patch's change ID, or `sleep`.
  std::string name;
  /// `completed`, `failed`, `retrying` or `waiting`.
  std::string status;
  /// A step's arguments as the journal holds them: a JSON array, one element per parameter.
  Json input;
  /// A completed step's result (null for void), or the payload an event wait received.
  std::optional<Json> result;
  /// A step's ended attempts, in order.
  std::vector<StepAttempt> attempts;
  std::optional<TimePoint> started_at;
  std::optional<TimePoint> ended_at;

  /// The messages of the attempts that failed, in order.
  std::vector<std::string> errors() const;
  /// `result` as `T`; throws std::logic_error when there is none.
  template <class T>
  T result_as() const {
    if (!result) throw std::logic_error("call " + correlation_id + " (" + name + ") has no result");
    return detail::from_journal<T>(*result);
  }
};

/// How GoogleTest (and anyone with an ostream) prints a Call in a failed assertion.
std::ostream& operator<<(std::ostream& out, const Call& call);

/// A test's own engine and journal, with a virtual clock and step mocks.
///
/// The constructor starts this process's engine on the environment's journal; the destructor
/// (or stop()) shuts it down, removes the mocks and sets the clock back. Only one environment
/// may exist at a time, and the engine must not have been started otherwise before it.
///
/// The virtual clock: the runtime's time is the system's plus an offset that only this
/// environment moves, forward. advance(d) moves it by `d`; result() and wait_until_idle() skip
/// it by themselves (auto-skip): whenever no run is executing or due, and some unfinished run
/// waits for a time (a sleep, an event timeout, a retry back-off), the clock jumps to the
/// earliest such time. Journal timestamps and workflow::now() follow the virtual clock; a step
/// attempt's timeout (StepOptions::timeout) stays in real time.
class TestEnvironment {
 public:
  TestEnvironment();
  explicit TestEnvironment(TestOptions options);
  ~TestEnvironment();
  TestEnvironment(const TestEnvironment&) = delete;
  TestEnvironment& operator=(const TestEnvironment&) = delete;

  /// The journal this environment uses (Config::database).
  const std::string& database() const;

  /// workflow::start, on this environment: `env.start(process_order, order)` or
  /// `env.start(StartOptions{.id = "o-1"}, process_order, order)`.
  template <class... Arguments>
  auto start(Arguments&&... arguments) {
    require_running("start a run");
    return workflow::start(std::forward<Arguments>(arguments)...);
  }

  /// Waits for `run` to end, skipping the clock ahead whenever everything waits on time (see
  /// above), and returns its return value. Throws RunFailedError or RunCancelledError as
  /// Run::return_value does, and TimeoutError when the run can no longer end by itself (it waits
  /// for an event nobody sent, or is paused) or keeps executing past TestOptions::real_time_limit.
  template <class R>
  R result(const Run<R>& run) {
    wait_until_final(run.run_id());
    return run.return_value();
  }

  /// Waits until no run executes and none is due: every unfinished run waits (for a time, an
  /// event, a child). The clock does not move.
  void wait_until_idle();

  /// Moves the clock forward by `duration` and lets what became due run, as if that time had
  /// passed: first waits until no run executes (a step never sees the time jump under it) and
  /// counts `duration` from then; then jumps timer by timer, letting the runs each timer wakes
  /// run until idle, so that a sleep that ends inside `duration` and a sleep begun after it both
  /// end if they fit.
  void advance(std::chrono::milliseconds duration);

  /// The environment's time: wall_now() of the runtime, the virtual clock.
  TimePoint now() const;

  /// Replaces the body of `step` (a `[[workflow::step]]` function) for the runs of this
  /// environment with `replacement`, which is called as the step would be, with its arguments,
  /// and returns its result type (or something that converts to it). The call is journaled,
  /// retried and replayed like the real step's; `replacement` may throw, e.g. RetryableError or
  /// FatalError, to exercise retries. Mocking the same step again replaces the mock. Throws
  /// NotAStepError when `step` is not a registered step.
  template <class Step, class Replacement>
  void mock(Step* step, Replacement replacement) {
    static_assert(std::is_function_v<Step>,
                  "env.mock(step, replacement): `step` must be a [[workflow::step]] function, e.g. "
                  "env.mock(charge_card, [](const Order&) { return std::string(\"ch_1\"); })");
    using Traits = detail::function_traits<Step*>;
    constexpr bool accepts = accepts_step_arguments<Replacement, typename Traits::parameters>::value;
    static_assert(accepts,
                  "env.mock(step, replacement): the replacement must be callable with the step's "
                  "parameters (e.g. [](const Order&) for a step taking const Order&)");
    if constexpr (accepts) {
      using Returned = typename accepts_step_arguments<Replacement, typename Traits::parameters>::result;
      using Result = detail::result_value_t<typename Traits::result>;
      constexpr bool returns = std::is_void_v<Result> || std::is_convertible_v<Returned, Result>;
      static_assert(returns,
                    "env.mock(step, replacement): the replacement must return the step's result type "
                    "(or a type that converts to it)");
      if constexpr (returns) {
        add_mock(detail::function_key(step), typeid(Step),
                 [replacement = std::move(replacement)](const Json& arguments) mutable {
                   return detail::call_with_journal_arguments<Step*>(replacement, arguments);
                 });
      }
    }
  }

  /// Delivers an event to `run` (Run::send_event does the same; this also checks that the
  /// environment runs).
  template <class T = Json>
  void send_event(const RunHandle& run, std::string_view type, const T& payload = T(Json::object())) {
    require_running("send an event");
    run.send_event(type, payload);
  }

  /// POSTs `body` to the webhook `url_or_token` (Webhook::url(), or its token) as `wf serve`
  /// would, checking that the webhook belongs to `run`. Returns false, changing nothing, where
  /// `wf serve` answers 404: a used single-use webhook, a finished or restarted run, an unknown
  /// token. Throws std::invalid_argument when the body exceeds the webhook's limit (413) and
  /// std::logic_error when the webhook is another run's.
  template <class T = Json>
  bool post_webhook(const RunHandle& run, std::string_view url_or_token, const T& body) {
    require_running("post to a webhook");
    return post_webhook_json(run, url_or_token, Json(body));
  }

  /// Every durable call of `run`, in order.
  std::vector<Call> timeline(const RunHandle& run) const;
  /// The calls of the step with stable ID `step_id` in `run`.
  std::vector<Call> calls_of(std::string_view step_id, const RunHandle& run) const;
  /// The calls of `step` in `run`; throws NotAStepError when `step` is not a registered step.
  template <class Step>
  std::vector<Call> calls_of(Step* step, const RunHandle& run) const {
    return calls_of(step_id(step), run);
  }
  /// How many attempts of `step` ended in `run`, over all its calls.
  template <class Step>
  int attempts(Step* step, const RunHandle& run) const {
    return attempts(step_id(step), run);
  }
  int attempts(std::string_view step_id, const RunHandle& run) const;
  /// The stable ID of `step`; throws NotAStepError when it is not a registered step.
  template <class Step>
  std::string step_id(Step* step) const {
    static_assert(std::is_function_v<Step>, "step_id(step): `step` must be a [[workflow::step]] function");
    return registered_step_id(detail::function_key(step), typeid(Step), "step_id");
  }

  /// Shuts the engine down now (runs stop where they are, as at a process exit). Afterwards
  /// start(), advance(), result() and the other operations throw TestEnvironmentError;
  /// timeline() still reads the journal.
  void stop();
  bool stopped() const;

 private:
  template <class Replacement, class Parameters>
  struct accepts_step_arguments;
  template <class Replacement, class... P>
  struct accepts_step_arguments<Replacement, std::tuple<P...>> {
    template <class Q>
    using passed = decltype(detail::pass<Q>(std::declval<detail::stored_t<Q>&>()));
    static constexpr bool value = std::is_invocable_v<Replacement&, passed<P>...>;
    using result = typename std::conditional_t<value, std::invoke_result<Replacement&, passed<P>...>,
                                               std::type_identity<void>>::type;
  };

  bool post_webhook_json(const RunHandle& run, std::string_view url_or_token, const Json& body);
  void add_mock(const void* key, const std::type_info& type, std::function<Json(const Json&)> replacement);
  std::string registered_step_id(const void* key, const std::type_info& type, const char* operation) const;
  void require_running(const char* operation) const;
  void wait_until_final(const std::string& run_id);

  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace workflow::testing
