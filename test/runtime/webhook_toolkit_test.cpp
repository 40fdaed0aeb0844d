// The test toolkit and webhooks: TestEnvironment::post_webhook delivers as `wf serve` does, a
// wait's timeout passes on the virtual clock, and the timeline shows the webhook.
#include "test_support.hpp"

#include <workflow/testing.hpp>

namespace {

using namespace std::chrono_literals;

std::mutex g_url_mutex;
std::string g_url;

std::string toolkit_hook(int waits) {
  WORKFLOW_ENTRY(toolkit_hook);
  auto hook = workflow::create_webhook<std::string>({.single_use = waits == 1, .max_body_bytes = 32});
  {
    std::lock_guard lock(g_url_mutex);
    g_url = hook.url();
  }
  std::string seen;
  try {
    for (int i = 0; i < waits; ++i) seen += hook.wait(std::chrono::hours(24)) + ";";
  } catch (const workflow::TimeoutError& error) {
    seen += std::string("timeout: ") + error.what();
  }
  return seen;
}
REGISTER_WORKFLOW(toolkit_hook);

std::string url() {
  std::lock_guard lock(g_url_mutex);
  return g_url;
}

class WebhookToolkitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (workflow::test_support::test_backend() == "postgresql") {
      options_.database = workflow::test_support::fresh_postgresql_journal();
      setenv("WORKFLOW_WEBHOOK_SECRET", "a-test-secret-of-more-than-thirty-two-characters", 1);
    }
  }
  void TearDown() override { unsetenv("WORKFLOW_WEBHOOK_SECRET"); }
  workflow::testing::TestOptions options_;
};

TEST_F(WebhookToolkitTest, PostWebhookResumesTheRunAndAUsedWebhookTakesNothing) {
  workflow::testing::TestEnvironment env(options_);
  auto run = env.start(toolkit_hook, 1);
  env.wait_until_idle();
  auto hook = url();
  EXPECT_TRUE(env.post_webhook(run, hook, std::string("approved")));
  EXPECT_FALSE(env.post_webhook(run, hook, std::string("again")));
  EXPECT_EQ(env.result(run), "approved;");
  auto timeline = env.timeline(run);
  ASSERT_GE(timeline.size(), 2u);
  EXPECT_EQ(timeline[0].kind, "webhook");
  EXPECT_EQ(timeline[0].correlation_id, "webhook-1");
  EXPECT_EQ(timeline[1].kind, "event");
  EXPECT_EQ(timeline[1].name, "$webhook/webhook-1");
  EXPECT_EQ(timeline[1].result, workflow::Json("approved"));
}

TEST_F(WebhookToolkitTest, AWaitTimesOutOnTheVirtualClockAndLimitsAreChecked) {
  workflow::testing::TestEnvironment env(options_);
  auto run = env.start(toolkit_hook, 3);
  env.wait_until_idle();
  auto hook = url();
  EXPECT_THROW(env.post_webhook(run, hook, std::string(40, 'x')), std::invalid_argument);
  EXPECT_TRUE(env.post_webhook(run, hook.substr(7), std::string("one")));
  auto started = std::chrono::steady_clock::now();
  auto result = env.result(run);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_EQ(result.rfind("one;timeout: run " + run.run_id() + ": no POST to webhook webhook-1", 0), 0u) << result;
}

}  // namespace
