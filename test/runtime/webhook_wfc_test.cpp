// Webhooks as users write them, built through wfc (target_workflow_sources): a step that takes
// the Webhook (journaled without its token) sends its URL; a POST resumes the workflow.
#include "test_support.hpp"

#include <mutex>

namespace {

struct Decision {
  bool approved = false;
  std::string by;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Decision, approved, by)

std::mutex g_sent_mutex;
std::string g_sent_url;

[[workflow::step]] int send_decision_link(std::string to, workflow::Webhook<Decision> hook) {
  std::lock_guard lock(g_sent_mutex);
  g_sent_url = to + " " + hook.url();
  return 1;
}

[[workflow::workflow]] std::string decide(std::string manager) {
  auto hook = workflow::create_webhook<Decision>();
  send_decision_link(manager, hook);
  auto decision = hook.wait(std::chrono::minutes(10));
  return (decision.approved ? "approved by " : "rejected by ") + decision.by;
}

class WebhookWfcTest : public workflow::test_support::EngineTest {
 protected:
  void SetUp() override {
    if (workflow::test_support::test_backend() == "postgresql")
      setenv("WORKFLOW_WEBHOOK_SECRET", "a-test-secret-of-more-than-thirty-two-characters", 1);
    EngineTest::SetUp();
  }
  void TearDown() override {
    EngineTest::TearDown();
    unsetenv("WORKFLOW_WEBHOOK_SECRET");
  }
};

TEST_F(WebhookWfcTest, AStepSendsTheUrlAndAPostResumesTheWorkflow) {
  auto run = workflow::start(decide, std::string("boss@example.com"));
  std::string sent;
  for (int i = 0; i < 1000 && sent.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::lock_guard lock(g_sent_mutex);
    sent = g_sent_url;
  }
  ASSERT_EQ(sent.rfind("boss@example.com /hooks/", 0), 0u) << sent;
  auto url = sent.substr(sent.find(' ') + 1);
  ASSERT_TRUE(workflow::deliver_webhook(url, Decision{true, "boss"}));
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), "approved by boss");
  for (const auto& event : run.events()) EXPECT_EQ(event.data.dump().find(url.substr(7)), std::string::npos);
}

}  // namespace
