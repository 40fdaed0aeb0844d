// Each journal event's record: its level, name and fields (docs/logging.md, "Events"), and the
// records of a worker's claims.
#include "log/run_transitions.hpp"

#include "store/event_payloads.hpp"

#include <gtest/gtest.h>

#include <map>

namespace {

using namespace workflow::detail;
using workflow::Json;

Event event_of(EventType type, Json data, std::string correlation_id = {}, std::string step = {}) {
  Event event;
  event.run_id = "R-1";
  event.type = type;
  event.data = std::move(data);
  event.correlation_id = std::move(correlation_id);
  event.step_name = std::move(step);
  event.created_at = wall_now();
  return event;
}

template <class Payload>
Event event_of(const Payload& payload, std::string correlation_id = {}, std::string step = {}) {
  return event_of(Payload::type, Json(payload), std::move(correlation_id), std::move(step));
}

const RunLabel kRun{"workflow//./src/orders//process_order", 2};

nlohmann::ordered_json field(const LogRecord& record, const std::string& key) {
  for (const auto& [name, value] : record.fields)
    if (name == key) return value;
  return nullptr;
}

TEST(RunTransitionsTest, RunTransitionsAndWaitsAreInfoFailuresWarnOrErrorTheRestDebug) {
  const std::map<EventType, LogLevel> expected{
      {EventType::run_created, LogLevel::info},      {EventType::run_started, LogLevel::info},
      {EventType::step_started, LogLevel::debug},    {EventType::step_completed, LogLevel::debug},
      {EventType::step_retrying, LogLevel::warn},    {EventType::step_failed, LogLevel::warn},
      {EventType::wait_created, LogLevel::info},     {EventType::wait_completed, LogLevel::debug},
      {EventType::event_waiting, LogLevel::info},    {EventType::event_received, LogLevel::debug},
      {EventType::run_paused, LogLevel::info},       {EventType::run_resumed, LogLevel::info},
      {EventType::child_started, LogLevel::info},    {EventType::child_completed, LogLevel::debug},
      {EventType::run_restarted, LogLevel::info},    {EventType::run_completed, LogLevel::info},
      {EventType::run_failed, LogLevel::error},      {EventType::run_cancelled, LogLevel::info},
      {EventType::patch_recorded, LogLevel::debug},  {EventType::run_upgraded, LogLevel::info},
      {EventType::webhook_created, LogLevel::debug},
  };
  // Every type the journal knows is in the table above.
  for (int i = 0; i <= static_cast<int>(EventType::webhook_created); ++i) {
    auto type = static_cast<EventType>(i);
    ASSERT_TRUE(expected.count(type)) << to_string(type);
    EXPECT_EQ(level_of(type), expected.at(type)) << to_string(type);
  }
}

TEST(RunTransitionsTest, EveryRecordNamesItsRunWorkflowAttemptAndEvent) {
  auto record = transition_record(event_of(EventType::run_started, Json::object()), kRun);
  EXPECT_EQ(record.event, "run_started");
  EXPECT_EQ(record.message, "run R-1 started");
  EXPECT_EQ(record.run_id, "R-1");
  EXPECT_EQ(record.workflow, kRun.workflow);
  EXPECT_EQ(record.run_attempt, 2);
  EXPECT_EQ(record.level, LogLevel::info);
}

TEST(RunTransitionsTest, ARetryCarriesItsAttemptRetryTimeErrorAndAbandonment) {
  auto retry_at = from_micros(1709251200000000);  // 2024-03-01T00:00:00Z
  auto record = transition_record(event_of(payload::StepRetrying{"carrier API timed out", 2, to_micros(retry_at), true},
                                           "step-6", "step//./src/orders//book_carrier"),
                                  kRun);
  EXPECT_EQ(record.event, "step_retrying");
  EXPECT_EQ(record.step, "step//./src/orders//book_carrier");
  EXPECT_EQ(record.correlation_id, "step-6");
  EXPECT_EQ(record.attempt, 2);
  EXPECT_EQ(record.error, "carrier API timed out");
  EXPECT_EQ(field(record, "retry_at"), "2024-03-01T00:00:00.000Z");
  EXPECT_EQ(field(record, "abandoned"), true);
  auto plain = transition_record(event_of(payload::StepRetrying{"no", 1, to_micros(retry_at), std::nullopt}, "step-6"), kRun);
  EXPECT_EQ(field(plain, "abandoned"), nullptr) << "only an abandoned attempt says so";
}

TEST(RunTransitionsTest, AStepFailureCarriesItsLastAttemptAndWhetherItWasFatal) {
  auto record = transition_record(
      event_of(payload::StepFailed{"coupon SPRING expired", 1, true, std::nullopt}, "step-3", "step//./x//apply_coupon"), kRun);
  EXPECT_EQ(record.event, "step_failed");
  EXPECT_EQ(record.level, LogLevel::warn);
  EXPECT_EQ(record.attempt, 1);
  EXPECT_EQ(record.error, "coupon SPRING expired");
  EXPECT_EQ(field(record, "fatal"), true);
}

TEST(RunTransitionsTest, ARunFailureCarriesTheErrorsMessageAndType) {
  auto record = transition_record(
      event_of(payload::RunFailed{Json{{"type", "StepFailedError"}, {"message", "run R-1 failed: boom"}}}), kRun);
  EXPECT_EQ(record.level, LogLevel::error);
  EXPECT_EQ(record.error, "run R-1 failed: boom");
  EXPECT_EQ(field(record, "error_type"), "StepFailedError");
}

TEST(RunTransitionsTest, ACancellationWithItsParentNamesTheParent) {
  auto record = transition_record(event_of(payload::RunCancelled{"P-1"}), kRun);
  EXPECT_EQ(record.message, "run R-1 cancelled with its parent P-1");
  EXPECT_EQ(field(record, "by_parent"), "P-1");
  auto by_operator = transition_record(event_of(payload::RunCancelled{}), kRun);
  EXPECT_EQ(by_operator.message, "run R-1 cancelled");
  EXPECT_EQ(field(by_operator, "by_parent"), nullptr);
}

TEST(RunTransitionsTest, ACreationCarriesItsDeploymentParentAndQueue) {
  payload::RunCreated created;
  created.workflow_name = std::string(kRun.workflow);
  created.deployment_id = "orders-v3";
  created.parent_run_id = "P-1";
  created.queue = "orders";
  auto record = transition_record(event_of(created), kRun);
  EXPECT_EQ(field(record, "deployment"), "orders-v3");
  EXPECT_EQ(field(record, "parent_run_id"), "P-1");
  EXPECT_EQ(field(record, "queue"), "orders");
}

TEST(RunTransitionsTest, WaitsSayUntilWhenAndForWhat) {
  auto sleep = transition_record(event_of(payload::WaitCreated{1709251200000000}, "wait-4"), kRun);
  EXPECT_EQ(sleep.message, "run R-1 sleeping");
  EXPECT_EQ(field(sleep, "resume_at"), "2024-03-01T00:00:00.000Z");
  payload::EventWaiting waiting;
  waiting.event = "approval";
  auto event = transition_record(event_of(waiting, "hook-5"), kRun);
  EXPECT_EQ(event.message, "run R-1 waiting for event 'approval'");
  EXPECT_EQ(field(event, "event_type"), "approval");
  EXPECT_EQ(field(event, "timeout_at"), nullptr);
}

TEST(RunTransitionsTest, AnEventWhoseDataDoesNotReadStillGetsItsLine) {
  LogRecord record;
  ASSERT_NO_THROW(record = transition_record(
                      event_of(EventType::step_retrying, Json{{"attempt", "two"}, {"error", 7}}, "step-2"), kRun));
  EXPECT_EQ(record.event, "step_retrying");
  EXPECT_EQ(record.message, "run R-1 step_retrying");
  EXPECT_EQ(record.correlation_id, "step-2");
  EXPECT_EQ(record.level, LogLevel::warn);
  EXPECT_TRUE(record.fields.empty());
}

TEST(RunTransitionsTest, AClaimIsInfoATakeoverAWarningWithTheWorker) {
  RunRecord run;
  run.id = "R-1";
  run.workflow_name = std::string(kRun.workflow);
  run.attempt = 3;
  auto claim = claim_record(run, "host/42/1/abc");
  EXPECT_EQ(claim.event, "run_claimed");
  EXPECT_EQ(claim.level, LogLevel::info);
  EXPECT_EQ(claim.run_attempt, 3);
  EXPECT_EQ(field(claim, "worker"), "host/42/1/abc");
  run.taken_over = true;
  run.recovery_count = 2;
  auto takeover = claim_record(run, "host/42/1/abc");
  EXPECT_EQ(takeover.event, "run_taken_over");
  EXPECT_EQ(takeover.level, LogLevel::warn);
  EXPECT_EQ(field(takeover, "recovery_count"), 2);
}

}  // namespace
