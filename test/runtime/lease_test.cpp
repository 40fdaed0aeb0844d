// Leases: a run held by a worker elsewhere is taken over only when its lease runs out, and a
// graceful shutdown hands runs over at once, without counting a recovery.
#include "test_support.hpp"

#include "store/journal_store.hpp"

#include <thread>

namespace {

std::atomic<int> g_seen_recoveries{-1};
std::atomic<int> g_seen_attempt{-1};

int note_recovery() {
  g_seen_recoveries = workflow::workflow_metadata().recovery_count;
  g_seen_attempt = workflow::step_metadata().attempt;
  return 1;
}
REGISTER_STEP(note_recovery);

std::atomic<bool> g_slow_started{false};
int slow() {
  g_slow_started = true;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  return 1;
}
REGISTER_STEP(slow);

int leased_workflow() {
  WORKFLOW_ENTRY(leased_workflow);
  return CALL_STEP(note_recovery);
}
REGISTER_WORKFLOW(leased_workflow);

int slow_workflow() {
  WORKFLOW_ENTRY(slow_workflow);
  return CALL_STEP(slow) + CALL_STEP(note_recovery);
}
REGISTER_WORKFLOW(slow_workflow);

class LeaseTest : public workflow::test_support::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    g_seen_recoveries = -1;
    g_seen_attempt = -1;
    g_slow_started = false;
  }
};

TEST_F(LeaseTest, ARunHeldElsewhereIsTakenOverWhenItsLeaseRunsOut) {
  workflow::shutdown();
  auto no_workers = config();
  no_workers.execute_runs = false;
  workflow::configure(no_workers);
  auto run = workflow::start(leased_workflow);
  workflow::shutdown();
  // Another host's worker claims it, and then goes silent.
  {
    auto store = workflow::detail::open_journal_store(database_path(), workflow::StoreOptions{});
    auto transaction = store->write();
    auto held = transaction->find_run(run.run_id());
    ASSERT_TRUE(held);
    held->owner = "elsewhere/1/1/x";
    held->lease_expires_at = workflow::Clock::now() + std::chrono::milliseconds(2000);
    transaction->update_run(*held);
    transaction->commit();
  }

  start_engine();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(run.status(), workflow::RunStatus::pending);  // the lease still holds
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), 1);
  EXPECT_EQ(g_seen_recoveries.load(), 1);
  EXPECT_EQ(g_seen_attempt.load(), 2);  // the first step after a takeover may be a repeat
}

TEST_F(LeaseTest, GracefulShutdownFinishesTheStepAndHandsTheRunOverAtOnce) {
  auto run = workflow::start(slow_workflow);
  for (int i = 0; i < 400 && !g_slow_started; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  workflow::shutdown();  // waits for `slow` to finish; `note_recovery` does not start
  EXPECT_EQ(g_seen_attempt.load(), -1);
  auto store = workflow::detail::open_journal_store(database_path(), workflow::StoreOptions{});
  auto held = store->read()->find_run(run.run_id());
  ASSERT_TRUE(held);
  EXPECT_EQ(held->status, workflow::RunStatus::running);
  EXPECT_EQ(held->owner, "");  // released, not left to its lease
  store.reset();
  start_engine();
  // Within 10 s, a third of the 30 s lease: the run was handed over, not waited out.
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), 2);
  EXPECT_EQ(g_seen_recoveries.load(), 0);
  EXPECT_EQ(g_seen_attempt.load(), 1);
}

}  // namespace
