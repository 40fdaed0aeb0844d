// Tests of the signup workflow with workflow-cpp's test toolkit (docs/testing.md): the day between
// the two mails passes on the virtual clock, and the login check is a mock.
#include "signup_workflow.hpp"

#include <workflow/testing.hpp>

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using workflow::testing::TestEnvironment;

constexpr long long kOneDayMs = 24LL * 60 * 60 * 1000;

TEST(SignupWorkflow, ActiveUserGetsTipsADayLater) {
  TestEnvironment env;
  env.mock(signup::has_logged_in, [](const std::string&) { return true; });
  auto run = env.start(signup::onboard_user, std::string("zoe@example.com"), kOneDayMs);
  EXPECT_EQ(env.result(run), "welcome-sent,tips-sent");

  auto timeline = env.timeline(run);
  ASSERT_EQ(timeline.size(), 4u);
  EXPECT_EQ(timeline[0].name, env.step_id(signup::send_welcome_mail));
  EXPECT_EQ(timeline[1].kind, "sleep");
  EXPECT_GE(*timeline[2].started_at - *timeline[0].ended_at, 24h);  // the login check, a day after the welcome
  EXPECT_EQ(timeline[3].input, workflow::Json::array({"zoe@example.com", true}));
}

TEST(SignupWorkflow, InactiveUserGetsANudge) {
  TestEnvironment env;
  env.mock(signup::has_logged_in, [](const std::string&) { return false; });
  auto run = env.start(signup::onboard_user, std::string("yan@example.com"), kOneDayMs);
  EXPECT_EQ(env.result(run), "welcome-sent,nudge-sent");
}

TEST(SignupWorkflow, NoFollowUpBeforeTheDayIsOver) {
  TestEnvironment env;
  auto run = env.start(signup::onboard_user, std::string("xia.active@example.com"), kOneDayMs);
  env.advance(23h);
  EXPECT_EQ(run.status(), workflow::RunStatus::waiting);
  EXPECT_TRUE(env.calls_of(signup::send_follow_up_mail, run).empty());
  env.advance(1h);
  EXPECT_EQ(run.status(), workflow::RunStatus::completed);
  EXPECT_EQ(env.calls_of(signup::send_follow_up_mail, run).at(0).result_as<std::string>(), "tips-sent");
}

}  // namespace
