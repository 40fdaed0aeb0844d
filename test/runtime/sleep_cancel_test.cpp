// Durable sleeps, wake_up (all or by correlation ID), cancellation and status transitions.
#include "test_support.hpp"

#include <thread>

namespace {

std::atomic<int> g_after_sleep{0};

int mark_after_sleep() { return ++g_after_sleep; }
REGISTER_STEP(mark_after_sleep);

int sleep_an_hour() {
  WORKFLOW_ENTRY(sleep_an_hour);
  workflow::sleep(std::chrono::hours(1));
  return CALL_STEP(mark_after_sleep);
}
REGISTER_WORKFLOW(sleep_an_hour);

int two_sleeps() {
  WORKFLOW_ENTRY(two_sleeps);
  workflow::sleep(std::chrono::hours(1));   // wait-1
  workflow::sleep(std::chrono::hours(1));   // wait-2
  return 2;
}
REGISTER_WORKFLOW(two_sleeps);

int short_sleep() {
  WORKFLOW_ENTRY(short_sleep);
  workflow::sleep(std::chrono::milliseconds(200));
  return CALL_STEP(mark_after_sleep);
}
REGISTER_WORKFLOW(short_sleep);

std::atomic<bool> g_slow_step_started{false};
int slow_step() {
  g_slow_step_started = true;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  return 1;
}
REGISTER_STEP(slow_step);

int slow_then_more() {
  WORKFLOW_ENTRY(slow_then_more);
  CALL_STEP(slow_step);
  return CALL_STEP(mark_after_sleep);
}
REGISTER_WORKFLOW(slow_then_more);

class SleepCancelTest : public workflow::test_support::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    g_after_sleep = 0;
  }
};

TEST_F(SleepCancelTest, SleepingRunWaitsAndWakeUpEndsItEarly) {
  auto run = workflow::start(sleep_an_hour);
  wait_for_status(run, workflow::RunStatus::waiting);
  EXPECT_EQ(g_after_sleep.load(), 0);
  EXPECT_EQ(run.wake_up(), 1u);
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), 1);
  EXPECT_EQ(run.wake_up(), 0u);  // nothing left to wake
}

TEST_F(SleepCancelTest, ShortSleepEndsByItself) {
  auto started = std::chrono::steady_clock::now();
  auto run = workflow::start(short_sleep);
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), 1);
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(200));
}

TEST_F(SleepCancelTest, SleepSurvivesARestart) {
  auto run = workflow::start(sleep_an_hour);
  wait_for_status(run, workflow::RunStatus::waiting);
  restart_engine();
  EXPECT_EQ(run.status(), workflow::RunStatus::waiting);
  EXPECT_EQ(run.wake_up(), 1u);
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), 1);
}

TEST_F(SleepCancelTest, WakeUpByCorrelationIdStopsOnlyThatSleep) {
  auto run = workflow::start(two_sleeps);
  wait_for_status(run, workflow::RunStatus::waiting);
  EXPECT_EQ(run.wake_up({"wait-7"}), 0u);  // no such sleep
  EXPECT_EQ(run.wake_up({"wait-1"}), 1u);
  // The run replays, passes wait-1 and suspends on wait-2.
  for (int i = 0; i < 400; ++i) {
    if (run.wake_up({"wait-2"}) == 1u) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), 2);
}

TEST_F(SleepCancelTest, CancelWhileWaiting) {
  auto run = workflow::start(sleep_an_hour);
  wait_for_status(run, workflow::RunStatus::waiting);
  run.cancel();
  EXPECT_EQ(run.status(), workflow::RunStatus::cancelled);
  EXPECT_THROW(run.return_value(std::chrono::seconds(10)), workflow::RunCancelledError);
  EXPECT_TRUE(run.completed_at().has_value());
  EXPECT_EQ(run.wake_up(), 0u);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(g_after_sleep.load(), 0);
}

TEST_F(SleepCancelTest, CancelWhileRunningLetsTheStepFinishAndRunsNothingMore) {
  g_slow_step_started = false;
  auto run = workflow::start(slow_then_more);
  for (int i = 0; i < 400 && !g_slow_step_started; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  run.cancel();
  EXPECT_THROW(run.return_value(std::chrono::seconds(10)), workflow::RunCancelledError);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(g_after_sleep.load(), 0);
  EXPECT_EQ(run.status(), workflow::RunStatus::cancelled);
}

TEST_F(SleepCancelTest, CancellingAFinishedRunIsAnInvalidTransitionAndChangesNothing) {
  auto run = workflow::start(short_sleep);
  run.return_value(std::chrono::seconds(10));
  EXPECT_THROW(run.cancel(), workflow::InvalidTransitionError);
  EXPECT_EQ(run.status(), workflow::RunStatus::completed);
  auto cancelled = workflow::start(sleep_an_hour);
  wait_for_status(cancelled, workflow::RunStatus::waiting);
  cancelled.cancel();
  EXPECT_NO_THROW(cancelled.cancel());  // cancelling twice is harmless
}

TEST_F(SleepCancelTest, StatusGoesPendingRunningWaitingCompleted) {
  workflow::shutdown();
  auto inspect_only = config();
  inspect_only.execute_runs = false;
  workflow::configure(inspect_only);
  auto run = workflow::start(sleep_an_hour);
  EXPECT_EQ(run.status(), workflow::RunStatus::pending);
  EXPECT_FALSE(run.started_at().has_value());
  restart_engine();
  wait_for_status(run, workflow::RunStatus::waiting);
  EXPECT_TRUE(run.started_at().has_value());
  run.wake_up();
  run.return_value(std::chrono::seconds(10));
  EXPECT_EQ(run.status(), workflow::RunStatus::completed);
}

TEST(RunStatusTest, NamesRoundTrip) {
  for (auto status : {workflow::RunStatus::pending, workflow::RunStatus::running,
                      workflow::RunStatus::waiting, workflow::RunStatus::paused,
                      workflow::RunStatus::completed, workflow::RunStatus::failed,
                      workflow::RunStatus::cancelled})
    EXPECT_EQ(workflow::parse_run_status(workflow::to_string(status)), status);
  EXPECT_EQ(workflow::to_string(workflow::RunStatus::waiting), "waiting");
  EXPECT_FALSE(workflow::parse_run_status("bogus").has_value());
}

}  // namespace
