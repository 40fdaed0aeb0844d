// External events: wait_for_event in a workflow, Run::send_event from outside. Events sent before
// the wait are kept and delivered in order, each once; timeouts throw TimeoutError in the
// workflow; a payload of the wrong shape fails the wait, not the process; a restart loses nothing.
#include "test_support.hpp"

#include <thread>

namespace {

struct Approval {
  std::string by;
  int level = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Approval, by, level)

std::atomic<int> g_after_approval{0};
int after_approval(int level) {
  ++g_after_approval;
  return level * 10;
}
REGISTER_STEP(after_approval);

std::string await_approval() {
  WORKFLOW_ENTRY(await_approval);
  auto approval = workflow::wait_for_event<Approval>("approval");
  int points = CALL_STEP(after_approval, approval.level);
  return approval.by + ":" + std::to_string(points);
}
REGISTER_WORKFLOW(await_approval);

// Holds the workflow back until the test has sent all its events.
std::atomic<bool> g_gate_open{false};
int gate() {
  while (!g_gate_open) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return 0;
}
REGISTER_STEP(gate);

std::string await_two_notes() {
  WORKFLOW_ENTRY(await_two_notes);
  CALL_STEP(gate);
  auto first = workflow::wait_for_event<std::string>("note");
  auto second = workflow::wait_for_event<std::string>("note");
  return first + "," + second;
}
REGISTER_WORKFLOW(await_two_notes);

std::string await_with_timeout() {
  WORKFLOW_ENTRY(await_with_timeout);
  try {
    return workflow::wait_for_event<std::string>("never", std::chrono::milliseconds(150));
  } catch (const workflow::TimeoutError& error) {
    return std::string("timed out: ") + error.what();
  }
}
REGISTER_WORKFLOW(await_with_timeout);

std::string strict_payload() {
  WORKFLOW_ENTRY(strict_payload);
  try {
    return workflow::wait_for_event<Approval>("approval").by;
  } catch (const workflow::EventPayloadError& error) {
    // The malformed event was consumed; the next one is read.
    return "retry after [" + std::string(error.what()) + "] -> " + workflow::wait_for_event<Approval>("approval").by;
  }
}
REGISTER_WORKFLOW(strict_payload);

class EventTest : public workflow::test_support::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    g_after_approval = 0;
  }
};

TEST_F(EventTest, AWaitingRunContinuesWithTheEventsPayload) {
  auto run = workflow::start(await_approval);
  wait_for_status(run, workflow::RunStatus::waiting);
  EXPECT_EQ(g_after_approval.load(), 0);
  run.send_event("approval", Approval{"ann", 3});
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), "ann:30");
  EXPECT_EQ(g_after_approval.load(), 1);
}

TEST_F(EventTest, EventsSentBeforeTheWaitAreKeptAndDeliveredInOrderEachOnce) {
  g_gate_open = false;
  auto run = workflow::start(await_two_notes);
  run.send_event("note", std::string("first"));
  run.send_event("other", std::string("ignored"));
  run.send_event("note", std::string("second"));
  run.send_event("note", std::string("third"));
  g_gate_open = true;
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), "first,second");
  int deliveries = 0;
  for (const auto& event : run.events()) {
    if (event.type == "event_received" && !event.correlation_id.empty()) ++deliveries;
  }
  EXPECT_EQ(deliveries, 2);
}

TEST_F(EventTest, ATimeoutThrowsTimeoutErrorInTheWorkflow) {
  auto run = workflow::start(await_with_timeout);
  auto result = run.return_value(std::chrono::seconds(10));
  EXPECT_NE(result.find("timed out: run " + run.run_id()), std::string::npos) << result;
  EXPECT_NE(result.find("no event 'never' arrived"), std::string::npos) << result;
}

TEST_F(EventTest, APayloadOfTheWrongShapeFailsTheWaitNotTheProcess) {
  auto run = workflow::start(strict_payload);
  run.send_event("approval", std::string("just a string"));
  run.send_event("approval", Approval{"bob", 1});
  auto result = run.return_value(std::chrono::seconds(10));
  EXPECT_NE(result.find("the payload of event 'approval' does not convert to"), std::string::npos) << result;
  EXPECT_NE(result.find("-> bob"), std::string::npos) << result;
}

TEST_F(EventTest, AWaitSurvivesARestartAndTheEventIsDeliveredOnce) {
  auto run = workflow::start(await_approval);
  wait_for_status(run, workflow::RunStatus::waiting);
  restart_engine();
  run.send_event("approval", Approval{"cy", 2});
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), "cy:20");
  restart_engine();  // replay after completion changes nothing
  EXPECT_EQ(run.return_value(), "cy:20");
  EXPECT_EQ(g_after_approval.load(), 1);
}

TEST_F(EventTest, UnknownRunsAndEndedRunsRejectEventsAndNothingIsRecorded) {
  EXPECT_THROW(workflow::get_run("wrun_nope").send_event("approval", Approval{"x", 1}), workflow::RunNotFoundError);
  auto run = workflow::start(await_with_timeout);
  run.return_value(std::chrono::seconds(10));
  auto before = run.events().size();
  try {
    run.send_event("approval", Approval{"late", 1});
    FAIL() << "an ended run accepted an event";
  } catch (const workflow::InvalidTransitionError& error) {
    EXPECT_NE(std::string(error.what()).find("cannot receive event 'approval': it is already completed"),
              std::string::npos)
        << error.what();
  }
  EXPECT_EQ(run.events().size(), before);
}

}  // namespace
