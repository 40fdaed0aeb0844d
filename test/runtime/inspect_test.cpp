// The inspection API: registered workflows, filtered and paged run lists, a run's call timeline
// (steps with their attempts, sleeps, events, child runs) and streams.
#include "test_support.hpp"

#include <thread>

namespace {

int inspect_double(int x) { return 2 * x; }
REGISTER_STEP(inspect_double);

std::atomic<int> g_inspect_failures_left{0};
int inspect_shaky() {
  if (g_inspect_failures_left-- > 0) throw std::runtime_error("shaky says no");
  return 7;
}
REGISTER_STEP(inspect_shaky);
}  // namespace
WORKFLOW_STEP_OPTIONS(inspect_shaky, {.max_retries = 3, .initial_delay = std::chrono::milliseconds(1)});
namespace {

int inspect_inner(int x) {
  WORKFLOW_ENTRY(inspect_inner);
  return CALL_STEP(inspect_double, x);
}
REGISTER_WORKFLOW(inspect_inner);

int inspect_everything(int x) {
  WORKFLOW_ENTRY(inspect_everything);
  int doubled = CALL_STEP(inspect_double, x);
  int retried = CALL_STEP(inspect_shaky);
  workflow::sleep(std::chrono::milliseconds(1));
  int bonus = workflow::wait_for_event<int>("bonus");
  int child = ::workflow::detail::workflow_call<&inspect_inner>(WF_ID(inspect_inner))(5);
  workflow::get_writable("log").write("done");
  return doubled + retried + bonus + child;
}
REGISTER_WORKFLOW(inspect_everything);

class InspectTest : public workflow::test_support::EngineTest {};

TEST_F(InspectTest, ListsTheWorkflowsThisDeploymentRegistered) {
  workflow::start(inspect_inner, 1).return_value();
  auto workflows = workflow::list_workflows();
  bool found = false;
  for (const auto& info : workflows) found = found || info.id == WF_ID(inspect_inner);
  EXPECT_TRUE(found);
  EXPECT_FALSE(workflows.front().deployment_id.empty());
}

TEST_F(InspectTest, ListsRunsNewestFirstWithFiltersAndPages) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    auto run = workflow::start(inspect_inner, i);
    run.return_value();
    ids.push_back(run.run_id());
  }
  auto first = workflow::list_runs({.workflow = WF_ID(inspect_inner), .limit = 2});
  ASSERT_EQ(first.runs.size(), 2u);
  EXPECT_EQ(first.runs[0].id, ids[4]);
  EXPECT_EQ(first.runs[1].id, ids[3]);
  ASSERT_FALSE(first.next_cursor.empty());
  auto second = workflow::list_runs({.workflow = WF_ID(inspect_inner), .limit = 2, .cursor = first.next_cursor});
  ASSERT_EQ(second.runs.size(), 2u);
  EXPECT_EQ(second.runs[0].id, ids[2]);
  auto last = workflow::list_runs({.workflow = WF_ID(inspect_inner), .limit = 2, .cursor = second.next_cursor});
  ASSERT_EQ(last.runs.size(), 1u);
  EXPECT_TRUE(last.next_cursor.empty());
  EXPECT_TRUE(workflow::list_runs({.status = workflow::RunStatus::failed}).runs.empty());
  EXPECT_EQ(workflow::list_runs({.status = workflow::RunStatus::completed}).runs.size(), 5u);
  EXPECT_TRUE(workflow::list_runs({.since = workflow::Clock::now() + std::chrono::hours(1)}).runs.empty());
  EXPECT_TRUE(workflow::list_runs({.workflow = "' OR 1=1 --"}).runs.empty());
  EXPECT_THROW(workflow::list_runs({.limit = 0}), std::invalid_argument);
  EXPECT_THROW(workflow::list_runs({.cursor = "no-such-run"}), std::invalid_argument);
}

TEST_F(InspectTest, ATimelineShowsEveryCallWithItsAttempts) {
  g_inspect_failures_left = 1;
  auto run = workflow::start(inspect_everything, 4);
  wait_for_status(run, workflow::RunStatus::waiting);
  for (int i = 0; i < 400; ++i) {  // the sleep ends and the run waits for its event
    auto details = workflow::inspect_run(run.run_id());
    if (details.timeline.size() == 4 && details.timeline[3].status == "waiting") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  auto waiting = workflow::inspect_run(run.run_id());
  ASSERT_EQ(waiting.timeline.size(), 4u);
  EXPECT_EQ(waiting.timeline[3].kind, "event");
  EXPECT_EQ(waiting.timeline[3].name, "bonus");
  EXPECT_EQ(waiting.timeline[3].status, "waiting");
  EXPECT_FALSE(waiting.timeline[3].ended_at);
  run.send_event("bonus", 100);
  EXPECT_EQ(run.return_value(), 8 + 7 + 100 + 10);

  auto details = workflow::inspect_run(run.run_id());
  EXPECT_EQ(details.summary.status, workflow::RunStatus::completed);
  EXPECT_EQ(details.input, workflow::Json::array({4}));
  EXPECT_EQ(details.output, 125);
  ASSERT_EQ(details.timeline.size(), 5u);
  const auto& first = details.timeline[0];
  EXPECT_EQ(first.correlation_id, "step-1");
  EXPECT_EQ(first.kind, "step");
  EXPECT_EQ(first.name, STEP_ID(inspect_double));
  EXPECT_EQ(first.status, "completed");
  ASSERT_EQ(first.attempts.size(), 1u);
  EXPECT_LE(first.attempts[0].started_at, first.attempts[0].ended_at);
  const auto& retried = details.timeline[1];
  ASSERT_EQ(retried.attempts.size(), 2u);
  EXPECT_EQ(retried.attempts[0].outcome, "retrying");
  EXPECT_EQ(retried.attempts[0].error, "shaky says no");
  EXPECT_EQ(retried.attempts[1].attempt, 2);
  EXPECT_EQ(retried.attempts[1].outcome, "completed");
  EXPECT_EQ(details.timeline[2].kind, "sleep");
  EXPECT_EQ(details.timeline[2].status, "completed");
  EXPECT_EQ(details.timeline[3].status, "completed");
  EXPECT_EQ(details.timeline[4].kind, "child");
  EXPECT_EQ(details.timeline[4].name, WF_ID(inspect_inner));
  EXPECT_EQ(workflow::get_run(details.timeline[4].child_run_id).parent_run_id(), run.run_id());
  ASSERT_EQ(details.streams.size(), 1u);
  EXPECT_EQ(details.streams[0].length, 1);
  EXPECT_TRUE(details.streams[0].closed);
  EXPECT_THROW(workflow::inspect_run("nope"), workflow::RunNotFoundError);
}

TEST_F(InspectTest, AFailedRunCarriesItsError) {
  g_inspect_failures_left = 10;
  auto run = workflow::start(inspect_everything, 1);
  EXPECT_THROW(run.return_value(), workflow::RunFailedError);
  auto details = workflow::inspect_run(run.run_id());
  EXPECT_EQ(details.summary.status, workflow::RunStatus::failed);
  EXPECT_NE(details.error.value("message", std::string()).find("shaky says no"), std::string::npos);
  EXPECT_EQ(details.timeline[1].status, "failed");
  EXPECT_EQ(details.timeline[1].attempts.size(), 4u);
}

}  // namespace
