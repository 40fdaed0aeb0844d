// restart(): a new attempt from the beginning, whatever the run's status; the journal keeps the
// earlier attempts; the new attempt's calls have their own keys.
#include "test_support.hpp"

namespace {

std::atomic<int> g_counter_runs{0};
std::atomic<bool> g_fail_once{true};

int count_up(int x) { return x + ++g_counter_runs; }
REGISTER_STEP(count_up);

int fail_first_time(int x) {
  if (g_fail_once.exchange(false)) throw workflow::FatalError("not today");
  return x;
}
REGISTER_STEP(fail_first_time);

int counted() {
  WORKFLOW_ENTRY(counted);
  return CALL_STEP(count_up, 0);
}
REGISTER_WORKFLOW(counted);

int fails_then_works() {
  WORKFLOW_ENTRY(fails_then_works);
  return CALL_STEP(fail_first_time, 7);
}
REGISTER_WORKFLOW(fails_then_works);

int sleeps_first() {
  WORKFLOW_ENTRY(sleeps_first);
  int first = CALL_STEP(count_up, 100);
  workflow::sleep(std::chrono::hours(1));
  return first;
}
REGISTER_WORKFLOW(sleeps_first);

std::atomic<int> g_hang_attempts{0};
std::atomic<bool> g_unhang{false};
int hangs_first_time() {
  if (++g_hang_attempts == 1) {
    while (!g_unhang) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return g_hang_attempts.load();
}
REGISTER_STEP(hangs_first_time);

int hung() {
  WORKFLOW_ENTRY(hung);
  return CALL_STEP(hangs_first_time);
}
REGISTER_WORKFLOW(hung);

class RestartTest : public workflow::test_support::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    g_counter_runs = 0;
    g_fail_once = true;
  }
};

TEST_F(RestartTest, ACompletedRunStartsOverAndKeepsItsOldJournal) {
  auto run = workflow::start(counted);
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), 1);
  run.restart();
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), 2);  // the step ran again
  std::vector<std::string> completions;
  int restarts = 0;
  for (const auto& event : run.events()) {
    if (event.type == "step_completed") completions.push_back(event.correlation_id);
    restarts += event.type == "run_restarted";
  }
  EXPECT_EQ(completions, (std::vector<std::string>{"step-1", "a2/step-1"}));
  EXPECT_EQ(restarts, 1);
  restart_engine();  // replaying the second attempt changes nothing
  EXPECT_EQ(run.return_value(), 2);
  EXPECT_EQ(g_counter_runs.load(), 2);
}

TEST_F(RestartTest, AFailedRunCanSucceedOnANewAttempt) {
  auto run = workflow::start(fails_then_works);
  EXPECT_THROW(run.return_value(std::chrono::seconds(10)), workflow::RunFailedError);
  run.restart();
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), 7);
  EXPECT_EQ(run.status(), workflow::RunStatus::completed);
}

TEST_F(RestartTest, AWaitingRunStartsOverFromTheTop) {
  auto run = workflow::start(sleeps_first);
  wait_for_status(run, workflow::RunStatus::waiting);
  run.restart();
  // The new attempt runs its first step again and sleeps again.
  for (int i = 0; i < 400 && g_counter_runs < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  wait_for_status(run, workflow::RunStatus::waiting);
  EXPECT_EQ(g_counter_runs.load(), 2);
  EXPECT_EQ(run.wake_up({"a2/wait-2"}), 1u);
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), 102);
  EXPECT_THROW(workflow::get_run("wrun_unknown").restart(), workflow::RunNotFoundError);
}

}  // namespace

namespace {

TEST_F(RestartTest, ARestartDoesNotWaitForAHungStepOfTheOldAttempt) {
  g_hang_attempts = 0;
  g_unhang = false;
  auto run = workflow::start(hung);
  for (int i = 0; i < 400 && g_hang_attempts == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  run.restart();
  // The new attempt runs to the end while the old one is still stuck in its step.
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), 2);
  g_unhang = true;
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the old attempt ends, fenced off
  EXPECT_EQ(run.status(), workflow::RunStatus::completed);
  EXPECT_EQ(run.return_value(), 2);
  int completions = 0;
  for (const auto& event : run.events()) completions += event.type == "run_completed";
  EXPECT_EQ(completions, 1);
}

}  // namespace
