// The virtual clock of a TestEnvironment: waiting until the runs are idle, jumping the runtime's
// clock to the next timer, and the auto-skip rule (docs/testing.md).
//
// The clock only jumps while no run is held by a worker: a step never sees the time change under
// it, and a lease is never found expired because of a jump.
#include "testing/environment_state.hpp"
#include "testing/journal_activity.hpp"

#include "util/time.hpp"

#include <chrono>

namespace workflow::testing {
namespace {

using detail::JournalActivity;
using detail::observe_journal;
using RealClock = std::chrono::steady_clock;

std::string real_limit_text(const TestOptions& options) {
  return std::to_string(options.real_time_limit.count()) + " ms of real time (TestOptions::real_time_limit)";
}

// Waits until no run is held or due; returns what the journal looks like then.
JournalActivity wait_while_busy(workflow::detail::Engine& engine, const TestOptions& options,
                                RealClock::time_point give_up_at) {
  for (;;) {
    auto seen = engine.journal_changes();
    auto activity = observe_journal(engine);
    if (!activity.busy) return activity;
    if (RealClock::now() >= give_up_at)
      throw TimeoutError("TestEnvironment: runs were still executing after " + real_limit_text(options) +
                         ", e.g. run " + activity.busy_run);
    // Commits of this process wake this at once; the bound covers a run that became due by time.
    engine.wait_for_journal_change(seen, workflow::detail::wall_now() + std::chrono::milliseconds(5));
  }
}

void jump_to(workflow::detail::Engine& engine, TimePoint target) {
  auto now = workflow::detail::wall_now();
  if (target <= now) return;
  workflow::detail::clock_offset() += workflow::detail::to_micros(target) - workflow::detail::to_micros(now);
  engine.hint(workflow::detail::wall_now());  // the scheduler's timed wait was for the old clock
}

}  // namespace

void TestEnvironment::wait_until_idle() {
  require_running("wait until the runs are idle");
  wait_while_busy(*state_->engine, state_->options, RealClock::now() + state_->options.real_time_limit);
}

void TestEnvironment::advance(std::chrono::milliseconds duration) {
  require_running("advance the clock");
  auto give_up_at = RealClock::now() + state_->options.real_time_limit;
  // Counted from when the runs are idle: what they did before the call has happened by then.
  auto activity = wait_while_busy(*state_->engine, state_->options, give_up_at);
  auto target = workflow::detail::wall_now() + duration;
  while (activity.next_wake_up && *activity.next_wake_up <= target) {
    jump_to(*state_->engine, *activity.next_wake_up);
    activity = wait_while_busy(*state_->engine, state_->options, give_up_at);
  }
  jump_to(*state_->engine, target);
  wait_while_busy(*state_->engine, state_->options, give_up_at);
}

void TestEnvironment::wait_until_final(const std::string& run_id) {
  require_running("wait for a run's result");
  auto give_up_at = RealClock::now() + state_->options.real_time_limit;
  auto& engine = *state_->engine;
  for (;;) {
    if (is_final(engine.require_run(run_id).status)) return;
    auto activity = wait_while_busy(*state_->engine, state_->options, give_up_at);
    auto run = engine.require_run(run_id);
    if (is_final(run.status)) return;
    if (activity.next_wake_up) {
      jump_to(engine, *activity.next_wake_up);
      continue;
    }
    throw TimeoutError("TestEnvironment: run " + run_id + " cannot end by itself: it is " +
                       std::string(to_string(run.status)) +
                       " and no run waits for a time (a sleep, an event timeout, a retry); it waits for an "
                       "event nobody sent, or is paused. Send the event (env.send_event) or resume the run "
                       "before asking for its result");
  }
}

}  // namespace workflow::testing
