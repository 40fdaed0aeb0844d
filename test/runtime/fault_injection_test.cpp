// The engine against a store that fails on purpose (fault_injecting_store.hpp): a failed commit
// or a journal reported busy hands the run back instead of failing it, and a power cut that loses
// every commit made without a sync never loses a step result the engine had recorded.
#include "fault_injecting_store.hpp"
#include "test_support.hpp"

#include <map>

namespace {

std::mutex g_executions_mutex;
std::map<int, int> g_executions;  // step number -> bodies run
std::atomic<int> g_gate_at{0};    // the step that waits for the gate; 0: none
std::atomic<bool> g_gate_open{true};

int numbered_step(int number) {
  {
    std::lock_guard lock(g_executions_mutex);
    ++g_executions[number];
  }
  while (g_gate_at == number && !g_gate_open) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return number * 10;
}
REGISTER_STEP(numbered_step);

int eight_steps() {
  WORKFLOW_ENTRY(eight_steps);
  int total = 0;
  for (int i = 1; i <= 8; ++i) total += CALL_STEP(numbered_step, i);
  return total;
}
REGISTER_WORKFLOW(eight_steps);

int executions_of(int number) {
  std::lock_guard lock(g_executions_mutex);
  return g_executions[number];
}

class FaultInjectionTest : public workflow::test_support::FaultInjectedEngineTest {
 protected:
  void SetUp() override {
    g_executions.clear();
    g_gate_at = 0;
    g_gate_open = true;
    FaultInjectedEngineTest::SetUp();
  }
  /// Waits until `number`'s body runs, holding it there.
  void hold_step(int number) {
    g_gate_open = false;
    g_gate_at = number;
  }
  void wait_until_running(int number) {
    for (int i = 0; i < 2000 && executions_of(number) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_GT(executions_of(number), 0);
  }
};

TEST_F(FaultInjectionTest, AFailedCommitOfAStepResultHandsTheRunBackAndItCompletes) {
  hold_step(3);
  auto run = workflow::start(eight_steps);
  wait_until_running(3);
  faults_->only_step_results = true;
  faults_->fail_commit_in = 1;  // the commit carrying step 3's result
  g_gate_open = true;
  EXPECT_EQ(run.return_value(std::chrono::seconds(20)), 360);
  EXPECT_EQ(faults_->injected.load(), 1);
  EXPECT_EQ(executions_of(3), 2) << "the lost result is computed again";
  EXPECT_EQ(executions_of(2), 1) << "a recorded result was computed again";
  for (const auto& event : run.events()) EXPECT_NE(event.type, "run_failed");
}

TEST_F(FaultInjectionTest, AJournalReportedBusyDelaysTheRunButDoesNotFailIt) {
  hold_step(4);
  auto run = workflow::start(eight_steps);
  wait_until_running(4);
  faults_->only_step_results = true;
  faults_->busy_commits = 1;  // the commit carrying step 4's result
  g_gate_open = true;
  EXPECT_EQ(run.return_value(std::chrono::seconds(20)), 360);
  EXPECT_EQ(faults_->injected.load(), 1);
  EXPECT_EQ(executions_of(4), 2);
  for (const auto& event : run.events()) EXPECT_NE(event.type, "run_failed");
}

// The crash is a power cut: what was committed without a sync is gone.
class SqlitePowerCutTest : public FaultInjectionTest {};

TEST_F(SqlitePowerCutTest, LosingWhatWasNotDurableNeverLosesARecordedStepResult) {
  faults_->journal = database_path();
  faults_->durable_copy = dir_.path() / "durable-copy.db";
  faults_->keep_durable_copy = true;
  // A short lease, so that the claim of the engine that "lost power" runs out soon after.
  workflow::shutdown();
  auto config = this->config();
  config.lease = std::chrono::milliseconds(600);
  workflow::configure(config);
  hold_step(6);
  auto run = workflow::start(eight_steps);
  wait_until_running(6);
  // The power goes now: steps 1-5 were recorded before step 6's body began (DESIGN §4).
  faults_->keep_durable_copy = false;
  g_gate_open = true;
  workflow::shutdown();
  workflow::test_support::FaultInjectingStore::lose_what_was_not_durable(*faults_);

  workflow::configure(config);
  EXPECT_NE(workflow::get_run(run.run_id()).status(), workflow::RunStatus::completed);
  auto restored = workflow::get_run(run.run_id());
  EXPECT_EQ(restored.return_value(std::chrono::seconds(20)), workflow::Json(360));
  for (int step = 1; step <= 5; ++step) EXPECT_EQ(executions_of(step), 1) << "step " << step << " ran again";
  EXPECT_EQ(executions_of(6), 2) << "step 6's result was not durable at the cut";
}

}  // namespace
