// Step retries with back-off, FatalError, RetryableError's delay, StepFailedError at the call
// site, and the attempt number in step_metadata. Built through wfc (target_workflow_sources): the
// journaled calls below are the compiler's, not hand-written.
#include "test_support.hpp"

#include <mutex>
#include <vector>

namespace {

std::atomic<int> g_flaky_attempts{0};
std::mutex g_attempt_times_mutex;
std::vector<std::chrono::steady_clock::time_point> g_attempt_times;
std::vector<int> g_seen_attempt_numbers;
std::vector<std::string> g_seen_step_ids;

[[workflow::step]] int flaky(int succeed_on) {
  {
    std::lock_guard lock(g_attempt_times_mutex);
    g_attempt_times.push_back(std::chrono::steady_clock::now());
    g_seen_attempt_numbers.push_back(workflow::step_metadata().attempt);
    g_seen_step_ids.push_back(workflow::step_metadata().step_id);
  }
  if (++g_flaky_attempts < succeed_on) throw std::runtime_error("flaky failure");
  return g_flaky_attempts;
}
}  // namespace
// WORKFLOW_STEP_OPTIONS goes at global scope.
WORKFLOW_STEP_OPTIONS(flaky, {.max_retries = 3, .initial_delay = std::chrono::milliseconds(40), .backoff = 2.0});
namespace {

[[workflow::step]] int fatal_step() { throw workflow::FatalError("card declined"); }

std::atomic<int> g_retry_after_attempts{0};
[[workflow::step]] int retry_after_step() {
  if (++g_retry_after_attempts == 1) throw workflow::RetryableError("rate limited", std::chrono::milliseconds(150));
  return 7;
}
}  // namespace
WORKFLOW_STEP_OPTIONS(retry_after_step, {.initial_delay = std::chrono::milliseconds(1)});
namespace {

[[workflow::workflow]] int call_flaky(int succeed_on) { return flaky(succeed_on); }

[[workflow::workflow]] std::string catch_fatal() {
  try {
    fatal_step();
    return "not reached";
  } catch (const workflow::StepFailedError& error) {
    return "caught after " + std::to_string(error.attempts()) + ": " + error.cause();
  }
}

[[workflow::workflow]] int uncaught_fatal() { return fatal_step(); }

[[workflow::workflow]] int call_retry_after() { return retry_after_step(); }

class RetryTest : public workflow::test_support::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    g_flaky_attempts = 0;
    std::lock_guard lock(g_attempt_times_mutex);
    g_attempt_times.clear();
    g_seen_attempt_numbers.clear();
    g_seen_step_ids.clear();
  }
};

TEST_F(RetryTest, RetriesWithExponentialBackOffUntilSuccess) {
  auto run = workflow::start(call_flaky, 3);
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), 3);
  std::lock_guard lock(g_attempt_times_mutex);
  ASSERT_EQ(g_attempt_times.size(), 3u);
  auto first_gap = g_attempt_times[1] - g_attempt_times[0];
  auto second_gap = g_attempt_times[2] - g_attempt_times[1];
  EXPECT_GE(first_gap, std::chrono::milliseconds(40));
  EXPECT_GE(second_gap, std::chrono::milliseconds(80));
  EXPECT_EQ(g_seen_attempt_numbers, (std::vector<int>{1, 2, 3}));
  // The idempotency key is the same on every attempt.
  EXPECT_EQ(g_seen_step_ids[0], g_seen_step_ids[2]);
  EXPECT_EQ(g_seen_step_ids[0], run.run_id() + "/step-1");
}

TEST_F(RetryTest, GivesUpAfterMaxRetriesAndFailsTheRunNamingTheStep) {
  auto run = workflow::start(call_flaky, 100);
  try {
    run.return_value(std::chrono::seconds(10));
    FAIL() << "expected RunFailedError";
  } catch (const workflow::RunFailedError& error) {
    std::string message = error.what();
    EXPECT_NE(message.find(run.run_id()), std::string::npos) << message;
    // The step's ID as wfc derives it: beside the workflow's, which the journal records.
    EXPECT_NE(message.find(workflow::test_support::step_id_beside(run.workflow_name(), "flaky")), std::string::npos)
        << message;
    EXPECT_NE(message.find("after 4 attempts: flaky failure"), std::string::npos) << message;
  }
  EXPECT_EQ(g_flaky_attempts.load(), 4);  // 1 + max_retries
  EXPECT_EQ(run.status(), workflow::RunStatus::failed);
}

TEST_F(RetryTest, FatalErrorFailsAtOnceAndIsCatchableAtTheCallSite) {
  auto run = workflow::start(catch_fatal);
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), "caught after 1: card declined");
}

TEST_F(RetryTest, UncaughtStepFailureFailsTheRun) {
  auto run = workflow::start(uncaught_fatal);
  EXPECT_THROW(run.return_value(std::chrono::seconds(10)), workflow::RunFailedError);
}

TEST_F(RetryTest, RetryableErrorSetsTheNextDelay) {
  g_retry_after_attempts = 0;
  auto started = std::chrono::steady_clock::now();
  auto run = workflow::start(call_retry_after);
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), 7);
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(150));
  EXPECT_EQ(g_retry_after_attempts.load(), 2);
}

TEST(StepOptionsTest, InvalidConfigurationsAreNamed) {
  static_assert(workflow::step_options_problem({}) == nullptr);
  static_assert(workflow::step_options_problem({.max_retries = -1}) != nullptr);
  static_assert(workflow::step_options_problem({.backoff = 0.5}) != nullptr);
  EXPECT_STREQ(workflow::step_options_problem({.backoff = 0.5}), "backoff must be at least 1.0");
}

}  // namespace
