// Replay: finished steps answer from the journal after a restart; a changed workflow is a
// non-determinism error naming the position and both steps. Built through wfc
// (target_workflow_sources): the journaled calls below are the compiler's, not hand-written.
#include "test_support.hpp"

#include <thread>

namespace {

std::atomic<int> g_record_calls{0};
std::atomic<bool> g_use_other_step{false};

[[workflow::step]] std::string record(std::string what) {
  ++g_record_calls;
  return "recorded " + what;
}

[[workflow::step]] std::string other(std::string what) { return "other " + what; }

// Sleeps between its two steps, so a restart in the middle replays the first one.
[[workflow::workflow]] std::string two_records(std::string a, std::string b) {
  std::string first = record(a);
  workflow::sleep(std::chrono::milliseconds(300));
  std::string second = g_use_other_step ? other(b) : record(b);
  return first + ", " + second;
}

std::atomic<double> g_seen_random{0};
std::atomic<long long> g_seen_clock{0};

[[workflow::step]] double observe(double random, long long clock) {
  g_seen_random = random;
  g_seen_clock = clock;
  return random;
}

// Draws a random number and reads the clock before a sleep; the values returned at the end come
// from the replay after the sleep and must equal what the first execution saw.
[[workflow::workflow]] std::vector<double> random_and_clock() {
  double r1 = workflow::random();
  long long t1 = workflow::now().time_since_epoch().count();
  observe(r1, t1);
  workflow::sleep(std::chrono::milliseconds(50));
  double r2 = workflow::random();
  return {r1, r2, static_cast<double>(t1)};
}

std::atomic<bool> g_swap_first_step{false};

[[workflow::workflow]] std::string swapping() {
  std::string first = g_swap_first_step ? other(std::string("x")) : record(std::string("x"));
  workflow::sleep(std::chrono::milliseconds(100));
  return first;
}

class ReplayTest : public workflow::test_support::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    g_record_calls = 0;
    g_use_other_step = false;
  }
};

TEST_F(ReplayTest, FinishedStepsAreNotRunAgainAfterARestart) {
  auto run = workflow::start(two_records, "a", "b");
  for (int i = 0; i < 200 && run.status() != workflow::RunStatus::waiting; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(run.status(), workflow::RunStatus::waiting);
  EXPECT_EQ(g_record_calls.load(), 1);
  restart_engine();
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), "recorded a, recorded b");
  EXPECT_EQ(g_record_calls.load(), 2);  // "a" came from the journal
}

TEST_F(ReplayTest, AChangedStepAtARecordedPositionFailsTheRunWithANonDeterminismError) {
  g_swap_first_step = false;
  auto run = workflow::start(swapping);
  for (int i = 0; i < 200 && run.status() != workflow::RunStatus::waiting; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(run.status(), workflow::RunStatus::waiting);
  // The steps' IDs as wfc derives them: beside the workflow's, which the journal records.
  const std::string workflow_id = run.workflow_name();
  const std::string record_id = workflow::test_support::step_id_beside(workflow_id, "record");
  const std::string other_id = workflow::test_support::step_id_beside(workflow_id, "other");
  workflow::shutdown();
  g_swap_first_step = true;  // the "new build" calls another step first
  start_engine();
  try {
    run.return_value(std::chrono::seconds(10));
    FAIL() << "expected RunFailedError";
  } catch (const workflow::RunFailedError& error) {
    std::string message = error.what();
    EXPECT_NE(message.find("run " + run.run_id()), std::string::npos) << message;
    EXPECT_NE(message.find("non-determinism at call #1 (step-1)"), std::string::npos) << message;
    EXPECT_NE(message.find("recorded step '" + record_id + "'"), std::string::npos) << message;
    EXPECT_NE(message.find("now calls step '" + other_id + "'"), std::string::npos) << message;
  }
  EXPECT_EQ(run.status(), workflow::RunStatus::failed);
  g_swap_first_step = false;
}

TEST_F(ReplayTest, RandomAndClockRepeatOnReplay) {
  auto run = workflow::start(random_and_clock);
  auto values = run.return_value(std::chrono::seconds(10));
  ASSERT_EQ(values.size(), 3u);
  EXPECT_GE(values[0], 0.0);
  EXPECT_LT(values[0], 1.0);
  EXPECT_NE(values[0], values[1]);
  EXPECT_EQ(values[0], g_seen_random.load());  // same draw in the first execution and the replay
  EXPECT_EQ(values[2], static_cast<double>(g_seen_clock.load()));
  // A second run with another ID draws other numbers.
  auto other_run = workflow::start(random_and_clock);
  EXPECT_NE(other_run.return_value(std::chrono::seconds(10))[0], values[0]);
}

}  // namespace
