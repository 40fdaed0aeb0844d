// The test toolkit (<workflow/testing.hpp>): a month-long workflow with an event timeout and
// retries with back-off, tested in well under a second of wall time; mocks replacing steps by
// function; timeline assertions; and the mistakes that must be clear errors.
#include "test_support.hpp"

#include <workflow/testing.hpp>

#include <gmock/gmock.h>

#include <atomic>
#include <chrono>
#include <cstdio>

namespace {

using namespace std::chrono_literals;
using workflow::testing::Call;
using workflow::testing::TestEnvironment;
using workflow::testing::TestOptions;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;

constexpr auto kDay = std::chrono::hours(24);

std::atomic<int> g_real_charges{0};
std::string charge_subscriber(const std::string& customer) {
  ++g_real_charges;
  return "real-charge-" + customer;
}
REGISTER_STEP(charge_subscriber);

}  // namespace

WORKFLOW_STEP_OPTIONS(charge_subscriber, {.max_retries = 5, .initial_delay = std::chrono::hours(1), .backoff = 2.0,
                                    .max_delay = std::chrono::hours(24)});

namespace {

std::string remind_subscriber(const std::string& customer) { return "reminded " + customer; }
REGISTER_STEP(remind_subscriber);

// The acceptance workflow: a 30-day trial, then up to 7 days for the customer's approval, then a
// charge that the card network refuses a few times.
std::string subscription_trial(std::string customer) {
  WORKFLOW_ENTRY(subscription_trial);
  workflow::sleep(30 * kDay);
  std::string approval;
  try {
    approval = workflow::wait_for_event<std::string>("approval", 7 * kDay);
  } catch (const workflow::TimeoutError&) {
    approval = "no answer";
  }
  return approval + "/" + CALL_STEP(charge_subscriber, customer);
}
REGISTER_WORKFLOW(subscription_trial);

std::string remind_then_charge_subscriber(std::string customer) {
  WORKFLOW_ENTRY(remind_then_charge_subscriber);
  std::string reminded = CALL_STEP(remind_subscriber, customer);
  try {
    return reminded + "/" + CALL_STEP(charge_subscriber, customer);
  } catch (const workflow::StepFailedError& error) {
    return reminded + "/failed after " + std::to_string(error.attempts()) + ": " + error.cause();
  }
}
REGISTER_WORKFLOW(remind_then_charge_subscriber);

std::string two_hourly_sleeps() {
  WORKFLOW_ENTRY(two_hourly_sleeps);
  workflow::sleep(1h);
  auto first = workflow::now();
  workflow::sleep(1h);
  return std::to_string(std::chrono::duration_cast<std::chrono::minutes>(workflow::now() - first).count());
}
REGISTER_WORKFLOW(two_hourly_sleeps);

std::string awaits_unsent_event() {
  WORKFLOW_ENTRY(awaits_unsent_event);
  return workflow::wait_for_event<std::string>("never");
}
REGISTER_WORKFLOW(awaits_unsent_event);

std::string not_a_step(const std::string& text) { return text; }

// A journal per test on the backend the test runs on (test_support.hpp).
class TestingToolkitTest : public ::testing::Test {
 protected:
  TestOptions options() const { return TestOptions{.database = workflow::test_support::fresh_journal(dir_.path())}; }

  workflow::test_support::TempDir dir_;
};

// A mock that fails `failures` times, then charges.
auto flaky_charge(int failures) {
  return [failures, calls = 0](const std::string& customer) mutable -> std::string {
    if (++calls <= failures) throw std::runtime_error("card network unavailable (" + std::to_string(calls) + ")");
    return "ch-" + customer;
  };
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST_F(TestingToolkitTest, ThirtyDaySleepEventTimeoutAndBackOffTakeNoWallTime) {
  auto wall_start = std::chrono::steady_clock::now();
  TestEnvironment env(options());
  int real_charges = g_real_charges;
  env.mock(charge_subscriber, flaky_charge(3));
  auto started_at = env.now();
  auto run = env.start(subscription_trial, std::string("ann"));

  EXPECT_EQ(env.result(run), "no answer/ch-ann");

  // 30 days, the 7-day timeout, then 1 h + 2 h + 4 h of back-off: all on the virtual clock.
  EXPECT_GE(env.now() - started_at, 37 * kDay + 7h);
  auto calls = env.calls_of(charge_subscriber, run);
  ASSERT_EQ(calls.size(), 1u);
  ASSERT_EQ(calls[0].attempts.size(), 4u);
  EXPECT_THAT(calls[0].errors(), ElementsAre(HasSubstr("(1)"), HasSubstr("(2)"), HasSubstr("(3)")));
  for (std::size_t retry = 1; retry < calls[0].attempts.size(); ++retry) {
    auto waited = calls[0].attempts[retry].started_at - calls[0].attempts[retry - 1].ended_at;
    EXPECT_GE(waited, std::chrono::hours(1 << (retry - 1))) << "back-off before attempt " << retry + 1;
    EXPECT_LT(waited, std::chrono::hours(1 << (retry - 1)) + 1min) << "back-off before attempt " << retry + 1;
  }
  EXPECT_EQ(g_real_charges, real_charges);
  std::printf("[ wall time ] 30-day sleep, 7-day event timeout, 3 retries with back-off: %.3f s\n",
              seconds_since(wall_start));
}

TEST_F(TestingToolkitTest, EventDeliveredAfterAdvancingPastTheSleep) {
  auto wall_start = std::chrono::steady_clock::now();
  TestEnvironment env(options());
  env.mock(charge_subscriber, flaky_charge(3));
  auto run = env.start(subscription_trial, std::string("bob"));

  env.advance(30 * kDay);
  EXPECT_EQ(run.status(), workflow::RunStatus::waiting);  // for the approval now
  env.send_event(run, "approval", std::string("carol"));
  EXPECT_EQ(env.result(run), "carol/ch-bob");

  EXPECT_THAT(env.timeline(run),
              ElementsAre(Field(&Call::kind, "sleep"),
                          AllOf(Field(&Call::kind, "event"), Field(&Call::result, std::optional(workflow::Json("carol")))),
                          AllOf(Field(&Call::name, env.step_id(charge_subscriber)), Field(&Call::status, "completed"))));
  EXPECT_EQ(env.attempts(charge_subscriber, run), 4);
  EXPECT_EQ(env.calls_of(charge_subscriber, run).at(0).result_as<std::string>(), "ch-bob");
  EXPECT_EQ(env.calls_of(charge_subscriber, run).at(0).input, workflow::Json::array({"bob"}));
  std::printf("[ wall time ] 30-day advance, delivered event, 3 retries with back-off: %.3f s\n",
              seconds_since(wall_start));
}

TEST_F(TestingToolkitTest, AdvanceEndsEveryTimerInsideTheInterval) {
  TestEnvironment env(options());
  auto run = env.start(two_hourly_sleeps);
  env.advance(3h);
  EXPECT_EQ(run.status(), workflow::RunStatus::completed);
  EXPECT_EQ(run.return_value(), "60");  // the second sleep began when the first ended, not at +3 h
}

TEST_F(TestingToolkitTest, MocksReplaceStepsByFunction) {
  TestEnvironment env(options());
  int real_charges = g_real_charges;
  env.mock(remind_subscriber, [](const std::string& customer) { return "mock reminded " + customer; });
  env.mock(charge_subscriber, [](const std::string&) -> std::string { throw workflow::FatalError("card declined"); });
  auto run = env.start(remind_then_charge_subscriber, std::string("dan"));
  EXPECT_EQ(env.result(run), "mock reminded dan/failed after 1: card declined");
  EXPECT_EQ(env.attempts(charge_subscriber, run), 1);  // a FatalError is not retried
  EXPECT_EQ(env.attempts(remind_subscriber, run), 1);
  EXPECT_EQ(g_real_charges, real_charges);
}

TEST_F(TestingToolkitTest, RetryableErrorFromAMockSetsTheDelay) {
  TestEnvironment env(options());
  env.mock(charge_subscriber, [calls = 0](const std::string& customer) mutable -> std::string {
    if (++calls == 1) throw workflow::RetryableError("rate limited", std::chrono::hours(72));
    return "ch-" + customer;
  });
  auto started_at = env.now();
  auto run = env.start(remind_then_charge_subscriber, std::string("eve"));
  EXPECT_EQ(env.result(run), "reminded eve/ch-eve");
  EXPECT_GE(env.now() - started_at, 72h);
}

TEST_F(TestingToolkitTest, MockingANonStepIsAClearError) {
  TestEnvironment env(options());
  try {
    env.mock(not_a_step, [](const std::string& text) { return text; });
    FAIL() << "mocking a plain function was accepted";
  } catch (const workflow::NotAStepError& error) {
    EXPECT_THAT(error.what(), HasSubstr("is not a registered step"));
    EXPECT_THAT(error.what(), HasSubstr("std::string"));  // names the function or at least its type
  }
  try {
    env.mock(subscription_trial, [](std::string) { return std::string(); });
    FAIL() << "mocking a workflow was accepted";
  } catch (const workflow::NotAStepError& error) {
    EXPECT_THAT(error.what(), HasSubstr("is the workflow '" WF_ID(subscription_trial) "', not a step"));
  }
  EXPECT_THROW(env.attempts(not_a_step, workflow::RunHandle("x")), workflow::NotAStepError);
}

TEST_F(TestingToolkitTest, AStoppedEnvironmentSaysSo) {
  TestEnvironment env(options());
  env.stop();
  EXPECT_TRUE(env.stopped());
  try {
    env.advance(1h);
    FAIL() << "advance on a stopped environment was accepted";
  } catch (const workflow::TestEnvironmentError& error) {
    EXPECT_THAT(error.what(), HasSubstr("cannot advance the clock: the environment was stopped"));
  }
  EXPECT_THROW(env.start(two_hourly_sleeps), workflow::TestEnvironmentError);
  EXPECT_THROW(env.mock(charge_subscriber, flaky_charge(0)), workflow::TestEnvironmentError);
}

TEST_F(TestingToolkitTest, OneEnvironmentAtATime) {
  TestEnvironment env(options());
  try {
    TestEnvironment second;
    FAIL() << "a second environment was created";
  } catch (const workflow::TestEnvironmentError& error) {
    EXPECT_THAT(error.what(), HasSubstr("exists already"));
  }
}

TEST_F(TestingToolkitTest, ARunThatCannotEndIsAnErrorNotAHang) {
  TestEnvironment env(options());
  auto run = env.start(awaits_unsent_event);
  try {
    env.result(run);
    FAIL() << "result() returned for a run that waits for an event nobody sends";
  } catch (const workflow::TimeoutError& error) {
    EXPECT_THAT(error.what(), HasSubstr("cannot end by itself"));
  }
}

TEST_F(TestingToolkitTest, TheClockIsSetBackAndMocksRemovedAtTheEnd) {
  {
    TestEnvironment env(options());
    env.mock(remind_subscriber, [](const std::string&) { return std::string("mocked"); });
    env.advance(100 * kDay);
    EXPECT_GT(env.now(), std::chrono::system_clock::now() + 99 * kDay);
  }
  std::filesystem::create_directories(dir_.path() / "second");
  TestEnvironment env(TestOptions{.database = workflow::test_support::fresh_journal(dir_.path() / "second")});
  EXPECT_LT(env.now(), std::chrono::system_clock::now() + 1min);
  auto run = env.start(remind_then_charge_subscriber, std::string("fay"));
  EXPECT_EQ(env.result(run), "reminded fay/real-charge-fay");
}

}  // namespace
