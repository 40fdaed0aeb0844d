// Cancellation reaches what a run started: its unfinished child runs (and theirs) are cancelled
// with it unless started detached, and its executing steps are asked to stop through their stop
// token, whichever process cancels. A step attempt past its timeout is asked to stop too; one
// still running after its grace is abandoned and marked so in the journal.
#include "test_support.hpp"

#include "engine/engine.hpp"

#include <workflow/detached.hpp>

#include <atomic>
#include <chrono>
#include <thread>

namespace {

using namespace std::chrono_literals;

std::atomic<int> g_steps_running{0};
std::atomic<int> g_steps_stopped{0};

// Runs until asked to stop, checking every 5 ms.
int work_until_stopped(int id) {
  ++g_steps_running;
  while (!workflow::stop_requested()) std::this_thread::sleep_for(5ms);
  ++g_steps_stopped;
  --g_steps_running;
  return id;
}
REGISTER_STEP(work_until_stopped);

int busy_child(int id) {
  WORKFLOW_ENTRY(busy_child);
  return CALL_STEP(work_until_stopped, id);
}
REGISTER_WORKFLOW(busy_child);

int three_busy_children() {
  WORKFLOW_ENTRY(three_busy_children);
  auto [a, b, c] = workflow::parallel([] { return CALL_WORKFLOW(busy_child, 1); },
                                      [] { return CALL_WORKFLOW(busy_child, 2); },
                                      [] { return CALL_WORKFLOW(busy_child, 3); });
  return a + b + c;
}
REGISTER_WORKFLOW(three_busy_children);

int middle_generation(int id) {
  WORKFLOW_ENTRY(middle_generation);
  return CALL_WORKFLOW(busy_child, id);
}
REGISTER_WORKFLOW(middle_generation);

int grandparent() {
  WORKFLOW_ENTRY(grandparent);
  return CALL_WORKFLOW(middle_generation, 7);
}
REGISTER_WORKFLOW(grandparent);

std::string waiting_child() {
  WORKFLOW_ENTRY(waiting_child);
  return workflow::wait_for_event<std::string>("finish");
}
REGISTER_WORKFLOW(waiting_child);

std::string parent_of_detached_child() {
  WORKFLOW_ENTRY(parent_of_detached_child);
  auto detached = workflow::detached([&] { return CALL_WORKFLOW(waiting_child); });
  return detached + CALL_WORKFLOW(waiting_child);
}
REGISTER_WORKFLOW(parent_of_detached_child);

int parent_of_a_step() {
  WORKFLOW_ENTRY(parent_of_a_step);
  return CALL_STEP(work_until_stopped, 0);
}
REGISTER_WORKFLOW(parent_of_a_step);

std::atomic<bool> g_honouring_step_ended{false};

// Honours its stop token: ends at its next check once asked.
int slow_but_polite() {
  g_honouring_step_ended = false;
  while (!workflow::step_metadata().stop_token.stop_requested()) std::this_thread::sleep_for(5ms);
  g_honouring_step_ended = true;
  return 1;
}

// Ignores it: still running long after its timeout.
int slow_and_deaf() {
  std::this_thread::sleep_for(1500ms);
  return 1;
}
}  // namespace
// WORKFLOW_STEP_OPTIONS goes at global scope.
WORKFLOW_STEP_OPTIONS(slow_but_polite, {.max_retries = 0, .timeout = std::chrono::milliseconds(100)});
WORKFLOW_STEP_OPTIONS(slow_and_deaf, {.max_retries = 1, .initial_delay = std::chrono::milliseconds(1),
                                      .timeout = std::chrono::milliseconds(100)});
namespace {
REGISTER_STEP(slow_but_polite);
REGISTER_STEP(slow_and_deaf);

int call_polite() {
  WORKFLOW_ENTRY(call_polite);
  return CALL_STEP(slow_but_polite);
}
REGISTER_WORKFLOW(call_polite);

int call_deaf() {
  WORKFLOW_ENTRY(call_deaf);
  return CALL_STEP(slow_and_deaf);
}
REGISTER_WORKFLOW(call_deaf);

class CancellationTest : public workflow::test_support::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    g_steps_running = 0;
    g_steps_stopped = 0;
  }
  template <class Condition>
  static bool eventually(Condition condition) {
    for (int i = 0; i < 1000; ++i) {
      if (condition()) return true;
      std::this_thread::sleep_for(10ms);
    }
    return condition();
  }
  // The data of the run's run_cancelled event, or null if it has none.
  static workflow::Json cancellation_of(const std::string& run_id) {
    for (const auto& event : workflow::get_run(run_id).events())
      if (event.type == "run_cancelled") return event.data;
    return nullptr;
  }
  static workflow::Json step_outcome(const std::string& run_id, const std::string& type) {
    for (const auto& event : workflow::get_run(run_id).events())
      if (event.type == type) return event.data;
    return nullptr;
  }
};

TEST_F(CancellationTest, CancellingAParentWithThreeRunningChildrenEndsAllFour) {
  auto parent = workflow::start(three_busy_children);
  ASSERT_TRUE(eventually([] { return g_steps_running == 3; }));
  parent.cancel();
  EXPECT_EQ(parent.status(), workflow::RunStatus::cancelled);
  for (int child = 1; child <= 3; ++child) {
    auto id = parent.run_id() + "-p1." + std::to_string(child) + "/child-1";
    auto run = workflow::get_run(id);
    ASSERT_TRUE(run.exists()) << id;
    // In the parent's transaction: cancelled when cancel() returns.
    EXPECT_EQ(run.status(), workflow::RunStatus::cancelled) << id;
    EXPECT_EQ(cancellation_of(id), (workflow::Json{{"by_parent", parent.run_id()}})) << id;
  }
  // Each child's step was asked to stop, and stopped.
  EXPECT_TRUE(eventually([] { return g_steps_stopped == 3 && g_steps_running == 0; }));
}

TEST_F(CancellationTest, GrandchildrenAreCancelledWithTheirGrandparent) {
  auto run = workflow::start(grandparent);
  ASSERT_TRUE(eventually([] { return g_steps_running == 1; }));
  run.cancel();
  auto middle = workflow::get_run(run.run_id() + "-child-1");
  auto youngest = workflow::get_run(run.run_id() + "-child-1-child-1");
  EXPECT_EQ(middle.status(), workflow::RunStatus::cancelled);
  EXPECT_EQ(youngest.status(), workflow::RunStatus::cancelled);
  EXPECT_EQ(cancellation_of(youngest.run_id()), (workflow::Json{{"by_parent", middle.run_id()}}));
  EXPECT_TRUE(eventually([] { return g_steps_stopped == 1; }));
}

TEST_F(CancellationTest, ADetachedChildOutlivesItsParentsCancellation) {
  auto parent = workflow::start(parent_of_detached_child);
  auto detached = workflow::get_run(parent.run_id() + "-child-1");
  ASSERT_TRUE(eventually([&] { return detached.exists() && detached.status() == workflow::RunStatus::waiting; }));
  parent.cancel();
  EXPECT_EQ(parent.status(), workflow::RunStatus::cancelled);
  EXPECT_EQ(detached.status(), workflow::RunStatus::waiting);
  bool marked = false;
  for (const auto& event : detached.events())
    if (event.type == "run_created") marked = event.data.value("detached", false);
  EXPECT_TRUE(marked);
  detached.send_event("finish", std::string("done anyway"));
  EXPECT_EQ(workflow::Run<std::string>(detached.run_id()).return_value(10s), "done anyway");
}

TEST_F(CancellationTest, AnAttachedChildStartedAfterADetachedOneIsCancelled) {
  auto parent = workflow::start(parent_of_detached_child);
  auto detached = workflow::get_run(parent.run_id() + "-child-1");
  ASSERT_TRUE(eventually([&] { return detached.exists() && detached.status() == workflow::RunStatus::waiting; }));
  detached.send_event("finish", std::string("a"));
  auto attached = workflow::get_run(parent.run_id() + "-child-2");
  ASSERT_TRUE(eventually([&] { return attached.exists() && attached.status() == workflow::RunStatus::waiting; }));
  parent.cancel();
  EXPECT_EQ(attached.status(), workflow::RunStatus::cancelled);
}

TEST_F(CancellationTest, CancellingARunAsksItsExecutingStepToStop) {
  auto run = workflow::start(parent_of_a_step);
  ASSERT_TRUE(eventually([] { return g_steps_running == 1; }));
  run.cancel();
  EXPECT_TRUE(eventually([] { return g_steps_stopped == 1; }));
}

TEST_F(CancellationTest, ACancelFromAnotherProcessReachesTheExecutingStep) {
  auto run = workflow::start(parent_of_a_step);
  ASSERT_TRUE(eventually([] { return g_steps_running == 1; }));
  // An operator's engine of its own (as `wf` has), on its own connection to the journal.
  workflow::Config operator_config;
  operator_config.database = database_path();
  operator_config.execute_runs = false;
  {
    workflow::detail::Engine operator_engine(operator_config);
    operator_engine.cancel(run.run_id());
  }
  EXPECT_TRUE(eventually([] { return g_steps_stopped == 1; }));
  EXPECT_EQ(run.status(), workflow::RunStatus::cancelled);
}

TEST_F(CancellationTest, ATimedOutStepThatHonoursTheStopTokenEndsAndIsNotAbandoned) {
  auto run = workflow::start(call_polite);
  EXPECT_THROW(run.return_value(10s), workflow::RunFailedError);
  // The attempt ended at its next check, before its failure was recorded.
  EXPECT_TRUE(g_honouring_step_ended);
  auto failed = step_outcome(run.run_id(), "step_failed");
  ASSERT_TRUE(failed.is_object());
  EXPECT_FALSE(failed.contains("abandoned"));
  EXPECT_NE(failed.value("message", std::string()).find("timed out after 100 ms"), std::string::npos);
  EXPECT_EQ(failed.value("message", std::string()).find("abandoned"), std::string::npos);
}

TEST_F(CancellationTest, ATimedOutStepThatIgnoresTheStopTokenIsAbandonedAndSoMarked) {
  auto run = workflow::start(call_deaf);
  EXPECT_THROW(run.return_value(20s), workflow::RunFailedError);
  auto retrying = step_outcome(run.run_id(), "step_retrying");
  auto failed = step_outcome(run.run_id(), "step_failed");
  ASSERT_TRUE(retrying.is_object());
  ASSERT_TRUE(failed.is_object());
  EXPECT_EQ(retrying.value("abandoned", false), true);
  EXPECT_EQ(failed.value("abandoned", false), true);
  EXPECT_NE(failed.value("message", std::string()).find("was abandoned"), std::string::npos);
  // Counted where the run is inspected.
  std::size_t abandoned = 0;
  for (const auto& entry : workflow::inspect_run(run.run_id()).timeline)
    for (const auto& attempt : entry.attempts) abandoned += attempt.abandoned ? 1 : 0;
  EXPECT_EQ(abandoned, 2u);
}

}  // namespace
