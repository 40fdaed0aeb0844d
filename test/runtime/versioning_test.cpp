// Changing a workflow's code under recorded runs (docs/versioning.md): workflow::patched and
// deprecate_patch, replay checks, and upgrades between deployments.
//
// One binary plays every version of the code: `code_version` is what a rebuild would change,
// switched only while no engine runs, as a deploy would.
#include "test_support.hpp"

#include <workflow/replay_check.hpp>
#include <workflow/upgrade.hpp>
#include <workflow/versioning.hpp>

#include "engine/fenced_write.hpp"
#include "store/journal_store.hpp"

#include <algorithm>
#include <atomic>

namespace {

std::atomic<int> code_version{1};
std::atomic<int> fraud_checks{0};

int reserve(int x) { return x + 1; }
REGISTER_STEP(reserve);
int check_fraud(int x) {
  ++fraud_checks;
  return x * 10;
}
REGISTER_STEP(check_fraud);
int charge(int x) { return x + 2; }
REGISTER_STEP(charge);
int send_receipt(int x) { return x; }
REGISTER_STEP(send_receipt);

int order_flow(int x) {
  WORKFLOW_ENTRY(order_flow);
  int total = CALL_STEP(reserve, x);
  if (code_version.load() == 6) return total;  // the rest of the body removed
  switch (code_version.load()) {
    case 2:  // the change, patched
      if (workflow::patched("fraud-check")) total = CALL_STEP(check_fraud, total);
      break;
    case 3:  // the same change, not patched
      total = CALL_STEP(check_fraud, total);
      break;
    case 5:  // no run of version 1 remains: the old branch is gone
      workflow::deprecate_patch("fraud-check");
      total = CALL_STEP(check_fraud, total);
      break;
    default: break;
  }
  workflow::wait_for_event("go");
  total = CALL_STEP(charge, total);
  if (code_version.load() == 4) CALL_STEP(send_receipt, total);  // a call added at the end
  return total;
}
REGISTER_WORKFLOW(order_flow);

// Changed in version 2 without a patch: what an upgrade must leave behind.
int invoice_flow(int x) {
  WORKFLOW_ENTRY(invoice_flow);
  if (code_version.load() >= 2) CALL_STEP(check_fraud, x);
  workflow::wait_for_event("go");
  return CALL_STEP(charge, x);
}
REGISTER_WORKFLOW(invoice_flow);

std::vector<std::string> call_names(const std::string& run_id) {
  std::vector<std::string> names;
  for (const auto& entry : workflow::inspect_run(run_id).timeline) names.push_back(entry.kind + ":" + entry.name);
  return names;
}

bool has_call(const std::string& run_id, const std::string& call) {
  auto names = call_names(run_id);
  return std::find(names.begin(), names.end(), call) != names.end();
}

class VersioningTest : public workflow::test_support::EngineTest {
 protected:
  void SetUp() override {
    code_version = 1;
    fraud_checks = 0;
    deploy(1, "orders-v1");
  }
  void TearDown() override {
    workflow::shutdown();
    code_version = 1;
  }

  /// Stops this process's engine and starts `version` of the code as `deployment`.
  void deploy(int version, const std::string& deployment) {
    stop_and_change_code(version);
    auto settings = config();
    settings.deployment_id = deployment;
    workflow::configure(settings);
  }

  /// A run of `flow` waiting for its "go" event.
  workflow::Run<int> waiting_run(int (*flow)(int), int x = 1) {
    auto run = workflow::start(flow, x);
    wait_for_status(run, workflow::RunStatus::waiting);
    return run;
  }

  /// Stops the engine, as a deploy does, and switches to `version` of the code.
  void stop_and_change_code(int version) {
    workflow::shutdown();
    code_version = version;
  }

  workflow::ReplayResult replay_one(const std::string& run_id) {
    auto report = workflow::check_replay(database_path(), {.run_ids = {run_id}});
    EXPECT_EQ(report.runs.size(), 1u);
    return report.runs.at(0);
  }
};

TEST_F(VersioningTest, OldRunsTakeTheOldBranchAndNewRunsThePatchedOne) {
  auto old_run = waiting_run(order_flow);

  deploy(2, "orders-v1");  // a rebuild that keeps the deployment ID: it takes the old run over
  auto new_run = waiting_run(order_flow);
  old_run.send_event("go");
  new_run.send_event("go");

  EXPECT_EQ(old_run.return_value(std::chrono::seconds(10)), 4);   // (1 + 1) + 2
  EXPECT_EQ(new_run.return_value(std::chrono::seconds(10)), 22);  // (1 + 1) * 10 + 2
  EXPECT_EQ(fraud_checks.load(), 1);
  EXPECT_FALSE(has_call(old_run.run_id(), "patch:fraud-check"));
  EXPECT_FALSE(has_call(old_run.run_id(), std::string("step:") + STEP_ID(check_fraud)));
  EXPECT_TRUE(has_call(new_run.run_id(), "patch:fraud-check"));
  EXPECT_TRUE(has_call(new_run.run_id(), std::string("step:") + STEP_ID(check_fraud)));

  auto report = workflow::check_replay(database_path());
  EXPECT_TRUE(report.compatible());
  EXPECT_EQ(report.count(workflow::ReplayResult::Verdict::compatible), 2u);
}

TEST_F(VersioningTest, AnUnpatchedChangeIsReportedAtTheFirstDivergingCallWithBothCalls) {
  auto run = waiting_run(order_flow);
  stop_and_change_code(3);

  auto result = replay_one(run.run_id());
  EXPECT_EQ(result.verdict, workflow::ReplayResult::Verdict::incompatible);
  ASSERT_TRUE(result.divergence);
  EXPECT_EQ(result.divergence->position, 2);
  EXPECT_EQ(result.divergence->correlation_id, "hook-2");
  EXPECT_EQ(result.divergence->recorded, "a wait for event 'go'");
  EXPECT_EQ(result.divergence->now, std::string("calls step '") + STEP_ID(check_fraud) + "'");
  EXPECT_NE(result.divergence->source_location.find("versioning_test.cpp:"), std::string::npos)
      << result.divergence->source_location;
  EXPECT_NE(result.message.find("non-determinism at call #2"), std::string::npos) << result.message;
  EXPECT_EQ(result.calls_replayed, 1u);
  EXPECT_EQ(fraud_checks.load(), 0) << "a replay check executes no step";

  code_version = 2;
  EXPECT_EQ(replay_one(run.run_id()).verdict, workflow::ReplayResult::Verdict::compatible);
}

TEST_F(VersioningTest, ACallAddedAtTheEndBreaksOnlyRunsThatHaveEnded) {
  auto ended = waiting_run(order_flow);
  ended.send_event("go");
  ASSERT_EQ(ended.return_value(std::chrono::seconds(10)), 4);
  auto waiting = waiting_run(order_flow, 2);
  stop_and_change_code(4);

  auto finished = replay_one(ended.run_id());
  EXPECT_EQ(finished.verdict, workflow::ReplayResult::Verdict::incompatible);
  ASSERT_TRUE(finished.divergence);
  EXPECT_EQ(finished.divergence->recorded, "the run's end");
  EXPECT_EQ(finished.divergence->position, 4);
  // The waiting run has not reached the new call: a new deployment would make it live.
  EXPECT_EQ(replay_one(waiting.run_id()).verdict, workflow::ReplayResult::Verdict::compatible);
}

TEST_F(VersioningTest, CodeThatNowEndsBeforeARecordedCallIsReported) {
  auto run = waiting_run(order_flow);
  stop_and_change_code(6);

  auto result = replay_one(run.run_id());
  EXPECT_EQ(result.verdict, workflow::ReplayResult::Verdict::incompatible);
  ASSERT_TRUE(result.divergence);
  EXPECT_EQ(result.divergence->correlation_id, "hook-2");
  EXPECT_EQ(result.divergence->now, "ends (returns or throws)");
  EXPECT_EQ(result.divergence->source_location, "");
}

TEST_F(VersioningTest, ACallInsertedBeforeARecordedOneIsReportedAtThatCall) {
  auto run = waiting_run(invoice_flow);
  run.send_event("go");
  ASSERT_EQ(run.return_value(std::chrono::seconds(10)), 3);
  stop_and_change_code(2);  // inserts a call before the wait: the recorded wait is now call #2

  auto result = replay_one(run.run_id());
  EXPECT_EQ(result.verdict, workflow::ReplayResult::Verdict::incompatible);
  ASSERT_TRUE(result.divergence);
  EXPECT_EQ(result.divergence->correlation_id, "hook-1");
}

TEST_F(VersioningTest, DeprecatePatchReplaysRunsThatRecordedThePatchAndRecordsNothingNew) {
  deploy(2, "orders-v1");
  auto patched_run = waiting_run(order_flow);

  deploy(5, "orders-v1");
  auto new_run = waiting_run(order_flow, 2);
  patched_run.send_event("go");
  new_run.send_event("go");
  EXPECT_EQ(patched_run.return_value(std::chrono::seconds(10)), 22);
  EXPECT_EQ(new_run.return_value(std::chrono::seconds(10)), 32);
  EXPECT_FALSE(has_call(new_run.run_id(), "patch:fraud-check"));
  EXPECT_EQ(fraud_checks.load(), 2) << "replay answered the patched run's check from its journal";
}

TEST_F(VersioningTest, UpgradeMovesRunsTheNewCodeReplaysAndLeavesTheOthersWithTheReason) {
  auto order = waiting_run(order_flow);
  auto invoice = waiting_run(invoice_flow);

  deploy(2, "orders-v2");
  auto deployment_of = [](const workflow::RunHandle& run) {
    return workflow::inspect_run(run.run_id()).summary.deployment_id;
  };
  auto dry = workflow::upgrade_runs({.from = "orders-v1", .to = "latest", .dry_run = true});
  EXPECT_EQ(dry.to, "orders-v2");
  ASSERT_EQ(dry.runs.size(), 2u);
  EXPECT_EQ(dry.moved(), 1u);
  EXPECT_EQ(deployment_of(order), "orders-v1") << "a dry run changes nothing";
  EXPECT_EQ(deployment_of(invoice), "orders-v1");
  auto events_before = order.events().size();

  auto report = workflow::upgrade_runs({.from = "orders-v1", .to = "orders-v2"});
  ASSERT_EQ(report.runs.size(), 2u);
  for (const auto& result : report.runs) {
    if (result.run_id == order.run_id()) {
      EXPECT_TRUE(result.moved) << result.reason;
    } else {
      EXPECT_FALSE(result.moved);
      EXPECT_NE(result.reason.find("does not replay it"), std::string::npos) << result.reason;
      ASSERT_TRUE(result.divergence);
      EXPECT_EQ(result.divergence->correlation_id, "hook-1");
    }
  }
  EXPECT_EQ(deployment_of(order), "orders-v2");
  EXPECT_EQ(deployment_of(invoice), "orders-v1");
  auto events = order.events();
  ASSERT_EQ(events.size(), events_before + 1);
  EXPECT_EQ(events.back().type, "run_upgraded");
  EXPECT_EQ(events.back().data, (workflow::Json{{"from", "orders-v1"}, {"to", "orders-v2"}}));

  order.send_event("go");
  EXPECT_EQ(order.return_value(std::chrono::seconds(10)), 4) << "the old branch, on the new deployment";
  EXPECT_EQ(invoice.status(), workflow::RunStatus::waiting);

  auto again = workflow::upgrade_runs({.from = "orders-v1"});
  ASSERT_EQ(again.runs.size(), 1u) << "only the run left behind";
  EXPECT_FALSE(again.runs[0].moved);
}

TEST_F(VersioningTest, AnUpgradeOnlyTargetsTheDeploymentWhoseCodeThisBinaryHas) {
  EXPECT_THROW(workflow::upgrade_runs({.from = "orders-v0", .to = "orders-v9"}), workflow::ConfigurationError);
  EXPECT_THROW(workflow::upgrade_runs({.from = "orders-v1", .to = "orders-v1"}), workflow::ConfigurationError);
}

TEST_F(VersioningTest, PatchedOutsideAWorkflowBodyIsAnError) {
  EXPECT_THROW(workflow::patched("x"), workflow::NotInWorkflowError);
  EXPECT_THROW(workflow::deprecate_patch("x"), workflow::NotInWorkflowError);
}

// A workflow::parallel call is a call of its own: patched, replay checks and the end-of-body
// check see it under its number even though only its branches record events.

std::atomic<int> branch_steps{0};
int branch_step(int x) {
  ++branch_steps;
  return x + 100;
}
REGISTER_STEP(branch_step);

// Version 1: a parallel call first, then the wait. Version 2 adds a patched step before the
// parallel; version 3 the same step unpatched; version 7 ends before the parallel.
int fanout_flow(int x) {
  WORKFLOW_ENTRY(fanout_flow);
  int total = x;
  if (code_version.load() == 7) return total;
  if (code_version.load() == 2 && workflow::patched("pre-fanout")) total = CALL_STEP(check_fraud, total);
  if (code_version.load() == 3) total = CALL_STEP(check_fraud, total);
  auto [a] = workflow::parallel([&] { return CALL_STEP(branch_step, total); });
  workflow::wait_for_event("go");
  return CALL_STEP(charge, a);
}
REGISTER_WORKFLOW(fanout_flow);

// patched() is false on replay of a run whose journal has another call at this point: here, the
// parallel call, known by its branches' records.
TEST_F(VersioningTest, PatchedBeforeAParallelTheRunAlreadyPassedAnswersFalse) {
  branch_steps = 0;
  auto run = waiting_run(fanout_flow);  // (1 + 100), waiting for "go"
  ASSERT_EQ(branch_steps.load(), 1);
  deploy(2, "orders-v1");
  run.send_event("go");
  EXPECT_NO_THROW(EXPECT_EQ(run.return_value(std::chrono::seconds(10)), 103)) << "the old path: no fraud check";
  EXPECT_EQ(fraud_checks.load(), 0);
}

// The replay check's verdict for the same history: a step inserted before a recorded parallel.
TEST_F(VersioningTest, AStepInsertedBeforeARecordedParallelIsReportedIncompatible) {
  branch_steps = 0;
  auto run = waiting_run(fanout_flow);
  stop_and_change_code(3);
  auto result = replay_one(run.run_id());
  EXPECT_EQ(result.verdict, workflow::ReplayResult::Verdict::incompatible) << result.message;

  ASSERT_TRUE(result.divergence);
  EXPECT_EQ(result.divergence->recorded, "a workflow::parallel call");

  // Executed anyway, the run fails at that call instead of running the recorded branch again.
  deploy(3, "orders-v1");
  run.send_event("go");
  try {
    run.return_value(std::chrono::seconds(10));
    ADD_FAILURE() << "the run completed";
  } catch (const workflow::RunFailedError& error) {
    EXPECT_NE(std::string(error.what()).find("non-determinism at call #1"), std::string::npos) << error.what();
  }
  EXPECT_EQ(branch_steps.load(), 1);
}

// An ended run whose recorded parallel the code no longer reaches.
TEST_F(VersioningTest, CodeThatNowEndsBeforeARecordedParallelIsReported) {
  auto run = waiting_run(fanout_flow);
  run.send_event("go");
  ASSERT_EQ(run.return_value(std::chrono::seconds(10)), 103);
  stop_and_change_code(7);
  auto result = replay_one(run.run_id());
  EXPECT_EQ(result.verdict, workflow::ReplayResult::Verdict::incompatible) << result.message;
}

// A run cancelled before it made its first call, replayed against the very code that ran it.
TEST_F(VersioningTest, ACancelledRunIsCompatibleWithItsOwnCode) {
  workflow::shutdown();
  auto idle = config();
  idle.execute_runs = false;
  idle.deployment_id = "orders-v1";
  workflow::configure(idle);
  auto run = workflow::start(order_flow, 1);
  run.cancel();
  auto result = replay_one(run.run_id());
  EXPECT_NE(result.verdict, workflow::ReplayResult::Verdict::incompatible) << result.message;
}

// A run whose lease ran out is moved without its owner: the old worker, if it was only slow (a
// stall longer than the lease), must not write old-code events into it, nor renew its lease.
TEST_F(VersioningTest, AnUpgradedRunIsNoLongerWritableByItsFormerHolder) {
  auto run = waiting_run(order_flow);
  workflow::shutdown();
  const std::string stale = "elsewhere/1/1/x";
  {
    auto store = workflow::detail::open_journal_store(database_path(), workflow::StoreOptions{});
    auto transaction = store->write();
    auto held = transaction->find_run(run.run_id());
    ASSERT_TRUE(held);
    held->owner = stale;
    held->status = workflow::RunStatus::running;
    held->lease_expires_at = workflow::Clock::now() - std::chrono::milliseconds(1);
    transaction->update_run(*held);
    transaction->commit();
  }
  code_version = 2;
  auto idle = config();
  idle.execute_runs = false;
  idle.deployment_id = "orders-v2";
  workflow::configure(idle);
  auto report = workflow::upgrade_runs({.from = "orders-v1", .to = "orders-v2"});
  ASSERT_EQ(report.moved(), 1u) << (report.runs.empty() ? "" : report.runs[0].reason);
  workflow::shutdown();

  auto store = workflow::detail::open_journal_store(database_path(), workflow::StoreOptions{});
  auto transaction = store->write();
  workflow::detail::Event late;
  late.run_id = run.run_id();
  late.type = workflow::detail::EventType::step_started;
  late.correlation_id = "step-2";
  late.position = 2;
  late.step_name = "an old-code step";
  late.data = workflow::Json::object();
  late.created_at = workflow::Clock::now();
  auto result = workflow::detail::write_if_owned(*transaction, run.run_id(), "", stale, 1, {late});
  transaction->commit();
  EXPECT_EQ(result, workflow::detail::FenceResult::lost) << "the former holder still writes into the moved run";
}

}  // namespace
