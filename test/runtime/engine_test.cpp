// Starting runs, their results, statuses and timestamps, idempotent start.
#include "test_support.hpp"

#include <thread>

namespace {

std::atomic<int> g_add_calls{0};

int add(int a, int b) {
  ++g_add_calls;
  return a + b;
}
REGISTER_STEP(add);

std::string greet(const std::string& name) { return "hello " + name; }
REGISTER_STEP(greet);

int sum_three(int a, int b, int c) {
  WORKFLOW_ENTRY(sum_three);
  int partial = CALL_STEP(add, a, b);
  return CALL_STEP(add, partial, c);
}
REGISTER_WORKFLOW(sum_three);

std::string hello_workflow(std::string name) {
  WORKFLOW_ENTRY(hello_workflow);
  return CALL_STEP(greet, name);
}
REGISTER_WORKFLOW(hello_workflow);

void no_result() { WORKFLOW_ENTRY(no_result); }
REGISTER_WORKFLOW(no_result);

// A single argument shaped like a key/value pair once tripped nlohmann's initializer lists.
std::string join_pair(std::vector<std::string> parts) {
  WORKFLOW_ENTRY(join_pair);
  return CALL_STEP(greet, parts.at(0) + "+" + parts.at(1));
}
REGISTER_WORKFLOW(join_pair);

using workflow::test_support::EngineTest;

TEST_F(EngineTest, RunsAWorkflowAndReturnsItsValue) {
  g_add_calls = 0;
  auto run = workflow::start(sum_three, 1, 2, 3);
  EXPECT_EQ(run.return_value(), 6);
  EXPECT_EQ(g_add_calls.load(), 2);
  EXPECT_EQ(run.status(), workflow::RunStatus::completed);
  EXPECT_EQ(run.workflow_name(), WF_ID(sum_three));
}

TEST_F(EngineTest, ConvertsArgumentsToTheWorkflowsParameterTypes) {
  auto run = workflow::start(hello_workflow, "world");  // const char* -> std::string
  EXPECT_EQ(run.return_value(), "hello world");
}

TEST_F(EngineTest, ASingleArgumentShapedLikeAPairStaysAnArgument) {
  auto run = workflow::start(join_pair, std::vector<std::string>{"emea", "apac"});
  EXPECT_EQ(run.return_value(), "hello emea+apac");
}

TEST_F(EngineTest, VoidWorkflowCompletes) {
  auto run = workflow::start(no_result);
  run.return_value();
  EXPECT_EQ(run.status(), workflow::RunStatus::completed);
}

TEST_F(EngineTest, TimestampsAreOrdered) {
  auto before = workflow::Clock::now();
  auto run = workflow::start(sum_three, 1, 1, 1);
  run.return_value();
  auto created = run.created_at();
  ASSERT_TRUE(run.started_at().has_value());
  ASSERT_TRUE(run.completed_at().has_value());
  EXPECT_LE(before - std::chrono::milliseconds(1), created);
  EXPECT_LE(created, *run.started_at());
  EXPECT_LE(*run.started_at(), *run.completed_at());
  EXPECT_LE(*run.completed_at(), workflow::Clock::now());
}

TEST_F(EngineTest, StartWithTheSameIdReturnsTheExistingRun) {
  g_add_calls = 0;
  workflow::StartOptions options{.id = "order-42"};
  auto first = workflow::start(options, sum_three, 1, 2, 3);
  auto second = workflow::start(options, sum_three, 10, 20, 30);
  EXPECT_EQ(first.run_id(), "order-42");
  EXPECT_EQ(second.run_id(), "order-42");
  EXPECT_EQ(second.return_value(), 6);  // the first run's arguments
  EXPECT_EQ(g_add_calls.load(), 2);
}

TEST_F(EngineTest, StartingAnExistingIdWithAnotherWorkflowIsAnError) {
  workflow::start(workflow::StartOptions{.id = "shared-id"}, sum_three, 1, 2, 3).return_value();
  try {
    workflow::start(workflow::StartOptions{.id = "shared-id"}, hello_workflow, "x");
    FAIL() << "expected InvalidTransitionError";
  } catch (const workflow::InvalidTransitionError& error) {
    EXPECT_NE(std::string(error.what()).find("shared-id"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find(WF_ID(sum_three)), std::string::npos);
  }
}

TEST_F(EngineTest, GetRunSeesRunsAndUntypedReturnValues) {
  auto run = workflow::start(sum_three, 2, 2, 2);
  auto handle = workflow::get_run(run.run_id());
  EXPECT_TRUE(handle.exists());
  EXPECT_EQ(handle.return_value(), workflow::Json(6));
  EXPECT_FALSE(workflow::get_run("no-such-run").exists());
}

TEST_F(EngineTest, RunIdsAreUniqueAndSortable) {
  auto a = workflow::start(no_result).run_id();
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  auto b = workflow::start(no_result).run_id();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind("wrun_", 0), 0u);
  EXPECT_LT(a, b);
}

TEST_F(EngineTest, CallingAWorkflowDirectlyThrowsAndPointsToStart) {
  try {
    sum_three(1, 2, 3);
    FAIL() << "expected NotInWorkflowError";
  } catch (const workflow::NotInWorkflowError& error) {
    EXPECT_NE(std::string(error.what()).find("workflow::start"), std::string::npos);
  }
}

TEST_F(EngineTest, ManyConcurrentRunsAllComplete) {
  std::vector<workflow::Run<int>> runs;
  for (int i = 0; i < 200; ++i) runs.push_back(workflow::start(sum_three, i, i, i));
  for (int i = 0; i < 200; ++i) EXPECT_EQ(runs[static_cast<std::size_t>(i)].return_value(), 3 * i);
}

TEST_F(EngineTest, ReturnValueWithTimeoutThrowsTimeoutError) {
  workflow::Config paused = config();
  workflow::shutdown();
  paused.execute_runs = false;  // nobody executes the run
  workflow::configure(paused);
  auto run = workflow::start(sum_three, 1, 2, 3);
  EXPECT_EQ(run.status(), workflow::RunStatus::pending);
  EXPECT_THROW(run.return_value(std::chrono::milliseconds(100)), workflow::TimeoutError);
  restart_engine();  // a process with workers picks it up
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), 6);
}

}  // namespace

namespace {

TEST_F(EngineTest, StartByIdFromAToolRunsOnAWorkerThatHasTheWorkflow) {
  workflow::get_run("x").exists();  // this process (a worker) registers its workflows
  workflow::shutdown();
  auto tool = config();
  tool.execute_runs = false;
  workflow::configure(tool);
  auto run = workflow::start_by_id({.id = "by-id"}, WF_ID(sum_three), workflow::Json::array({1, 2, 3}));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(run.status(), workflow::RunStatus::pending);  // no worker in this process
  restart_engine();
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), workflow::Json(6));
}

}  // namespace
