// Child workflows: a workflow calling a workflow starts a child run, waits for it without holding
// a thread, and gets its result; the child is its own run with its parent's ID; a replay does not
// start a second child; a failed child throws at the call site.
#include "test_support.hpp"

#include <thread>


namespace {

std::atomic<int> g_child_step_runs{0};
std::atomic<int> g_after_child_runs{0};

int slow_square(int x) {
  ++g_child_step_runs;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  return x * x;
}
REGISTER_STEP(slow_square);

int after_child(int x) {
  ++g_after_child_runs;
  return x + 1;
}
REGISTER_STEP(after_child);

int square_child(int x) {
  WORKFLOW_ENTRY(square_child);
  return CALL_STEP(slow_square, x);
}
REGISTER_WORKFLOW(square_child);

int failing_child(int) {
  WORKFLOW_ENTRY(failing_child);
  throw std::runtime_error("the child gave up");
}
REGISTER_WORKFLOW(failing_child);

int parent(int x) {
  WORKFLOW_ENTRY(parent);
  int squared = CALL_WORKFLOW(square_child, x);
  return CALL_STEP(after_child, squared);
}
REGISTER_WORKFLOW(parent);

std::string parent_of_failure() {
  WORKFLOW_ENTRY(parent_of_failure);
  try {
    CALL_WORKFLOW(failing_child, 1);
    return "no error";
  } catch (const workflow::RunFailedError& error) {
    return std::string("caught: ") + error.what();
  }
}
REGISTER_WORKFLOW(parent_of_failure);

class ChildWorkflowTest : public workflow::test_support::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    g_child_step_runs = 0;
    g_after_child_runs = 0;
  }
};

TEST_F(ChildWorkflowTest, AParentGetsItsChildsResultAndTheChildIsItsOwnRun) {
  auto run = workflow::start(parent, 7);
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), 50);
  auto child = workflow::get_run(run.run_id() + "-child-1");
  ASSERT_TRUE(child.exists());
  EXPECT_EQ(child.workflow_name(), WF_ID(square_child));
  EXPECT_EQ(child.parent_run_id(), run.run_id());
  EXPECT_EQ(child.return_value(), 49);
  EXPECT_FALSE(run.parent_run_id().has_value());
  std::vector<std::string> types;
  for (const auto& event : run.events()) {
    if (event.correlation_id == "child-1") types.push_back(event.type);
  }
  EXPECT_EQ(types, (std::vector<std::string>{"child_started", "child_completed"}));
}

TEST_F(ChildWorkflowTest, ARestartWhileTheChildRunsStartsNoSecondChild) {
  auto run = workflow::start(parent, 3);
  for (int i = 0; i < 400 && g_child_step_runs == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  restart_engine();  // the parent is waiting for its child; the child's step finishes first
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), 10);
  restart_engine();
  EXPECT_EQ(run.return_value(), 10);
  EXPECT_EQ(g_child_step_runs.load(), 1);
  EXPECT_EQ(g_after_child_runs.load(), 1);
  EXPECT_FALSE(workflow::get_run(run.run_id() + "-child-2").exists());
}

TEST_F(ChildWorkflowTest, AFailedChildThrowsRunFailedErrorAtTheCallSite) {
  auto run = workflow::start(parent_of_failure);
  auto result = run.return_value(std::chrono::seconds(10));
  EXPECT_NE(result.find("caught: "), std::string::npos) << result;
  EXPECT_NE(result.find("the child gave up"), std::string::npos) << result;
  EXPECT_EQ(workflow::get_run(run.run_id() + "-child-1").status(), workflow::RunStatus::failed);
}

TEST_F(ChildWorkflowTest, CancellingTheChildWakesTheParentWithRunCancelledError) {
  auto run = workflow::start(parent, 2);
  auto child = workflow::get_run(run.run_id() + "-child-1");
  for (int i = 0; i < 400 && !child.exists(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  child.cancel();
  try {
    run.return_value(std::chrono::seconds(10));
    FAIL() << "the parent completed although its child was cancelled";
  } catch (const workflow::RunFailedError& error) {
    EXPECT_NE(std::string(error.what()).find("cancelled"), std::string::npos) << error.what();
  }
}

}  // namespace
