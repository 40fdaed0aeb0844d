// Pause and resume: a paused run starts no further step (a running one finishes and is recorded)
// and its timers do not fire; resume goes on from where it stopped. Illegal transitions are
// errors that change nothing.
#include "test_support.hpp"

#include <thread>

namespace {

std::atomic<int> g_first_runs{0};
std::atomic<int> g_second_runs{0};
std::atomic<bool> g_first_started{false};

int slow_first() {
  g_first_started = true;
  ++g_first_runs;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  return 1;
}
REGISTER_STEP(slow_first);

int then_second() {
  ++g_second_runs;
  return 2;
}
REGISTER_STEP(then_second);

int two_steps() {
  WORKFLOW_ENTRY(two_steps);
  int a = CALL_STEP(slow_first);
  return a + CALL_STEP(then_second);
}
REGISTER_WORKFLOW(two_steps);

int short_nap() {
  WORKFLOW_ENTRY(short_nap);
  workflow::sleep(std::chrono::milliseconds(300));  // long enough to pause it first, even on a busy machine
  return CALL_STEP(then_second);
}
REGISTER_WORKFLOW(short_nap);

class PauseResumeTest : public workflow::test_support::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    g_first_runs = 0;
    g_second_runs = 0;
    g_first_started = false;
  }
};

TEST_F(PauseResumeTest, PausingARunningRunLetsTheStepFinishAndStartsNoOther) {
  auto run = workflow::start(two_steps);
  for (int i = 0; i < 400 && !g_first_started; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ASSERT_TRUE(g_first_started);
  run.pause();
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_EQ(run.status(), workflow::RunStatus::paused);
  EXPECT_EQ(g_first_runs.load(), 1);
  EXPECT_EQ(g_second_runs.load(), 0);
  int completed = 0;
  for (const auto& event : run.events()) completed += event.type == "step_completed";
  EXPECT_EQ(completed, 1) << "the running step's result is recorded";

  run.resume();
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), 3);
  EXPECT_EQ(g_first_runs.load(), 1);
  EXPECT_EQ(g_second_runs.load(), 1);
}

TEST_F(PauseResumeTest, APausedRunsTimerDoesNotFireUntilResume) {
  auto run = workflow::start(short_nap);
  wait_for_status(run, workflow::RunStatus::waiting);
  run.pause();
  run.pause();  // pausing a paused run does nothing
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  EXPECT_EQ(run.status(), workflow::RunStatus::paused);
  EXPECT_EQ(g_second_runs.load(), 0);
  run.resume();
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), 2);
  std::vector<std::string> lifecycle;
  for (const auto& event : run.events()) {
    if (event.type == "run_paused" || event.type == "run_resumed") lifecycle.push_back(event.type);
  }
  EXPECT_EQ(lifecycle, (std::vector<std::string>{"run_paused", "run_resumed"}));
}

TEST_F(PauseResumeTest, APausedRunCanBeCancelled) {
  auto run = workflow::start(short_nap);
  wait_for_status(run, workflow::RunStatus::waiting);
  run.pause();
  run.cancel();
  EXPECT_THROW(run.return_value(std::chrono::seconds(10)), workflow::RunCancelledError);
}

TEST_F(PauseResumeTest, IllegalTransitionsAreErrorsThatChangeNothing) {
  auto done = workflow::start(short_nap);
  done.return_value(std::chrono::seconds(10));
  auto events_before = done.events().size();
  try {
    done.resume();
    FAIL() << "resumed a completed run";
  } catch (const workflow::InvalidTransitionError& error) {
    EXPECT_NE(std::string(error.what()).find("cannot be resumed: it is completed, not paused"), std::string::npos)
        << error.what();
  }
  EXPECT_THROW(done.pause(), workflow::InvalidTransitionError);
  EXPECT_EQ(done.events().size(), events_before);
  EXPECT_EQ(done.status(), workflow::RunStatus::completed);

  auto cancelled = workflow::start(short_nap);
  cancelled.cancel();
  try {
    cancelled.pause();
    FAIL() << "paused a cancelled run";
  } catch (const workflow::InvalidTransitionError& error) {
    EXPECT_NE(std::string(error.what()).find("cannot be paused: it is already cancelled"), std::string::npos)
        << error.what();
  }
  EXPECT_EQ(cancelled.status(), workflow::RunStatus::cancelled);

  auto waiting = workflow::start(short_nap);
  EXPECT_THROW(waiting.resume(), workflow::InvalidTransitionError);
  EXPECT_THROW(workflow::get_run("wrun_unknown").pause(), workflow::RunNotFoundError);
  waiting.return_value(std::chrono::seconds(10));
}

}  // namespace
