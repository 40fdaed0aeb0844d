// Durable schedules in one engine (both backends): declaring is idempotent, ticks start runs with
// IDs derived from the tick, the overlap policies hold against a run that does not finish, pause
// and resume, trigger now, delete, and the next fire times. The catch-up policies' arithmetic is
// in schedule_policy_test.cpp; several worker processes in test/schedules.
#include "test_support.hpp"

#include "engine/schedule_firing.hpp"

#include <workflow/schedules.hpp>

#include <set>
#include <thread>

namespace {

using namespace std::chrono_literals;

int echo(int x) {
  WORKFLOW_ENTRY(echo);
  return x;
}
REGISTER_WORKFLOW(echo);

// Unfinished until it receives "go".
int held() {
  WORKFLOW_ENTRY(held);
  return workflow::wait_for_event<int>("go");
}
REGISTER_WORKFLOW(held);

class ScheduleTest : public workflow::test_support::EngineTest {
 protected:
  /// The runs of `workflow_id`, oldest first.
  static std::vector<workflow::RunSummary> runs_of(const std::string& workflow_id) {
    auto runs = workflow::list_runs({.workflow = workflow_id, .limit = 1000}).runs;
    std::reverse(runs.begin(), runs.end());
    return runs;
  }
  /// Waits up to `limit` for `workflow_id` to have at least `count` runs.
  static std::vector<workflow::RunSummary> wait_for_runs(const std::string& workflow_id, std::size_t count,
                                                         std::chrono::milliseconds limit = 10s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    auto runs = runs_of(workflow_id);
    while (runs.size() < count && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(50ms);
      runs = runs_of(workflow_id);
    }
    return runs;
  }
  static workflow::ScheduleOptions every_second(workflow::OverlapPolicy overlap = workflow::OverlapPolicy::skip) {
    return {.spec = "* * * * * *", .overlap = overlap};
  }
};

TEST_F(ScheduleTest, TicksStartRunsNamedAfterTheScheduleAndTheTick) {
  auto before = std::chrono::system_clock::now();
  ASSERT_EQ(workflow::schedule("echo-7", echo, std::tuple{7}, every_second()), workflow::ScheduleChange::created);
  auto runs = wait_for_runs(WF_ID(echo), 2);
  ASSERT_GE(runs.size(), 2u);
  std::set<std::string> ids;
  for (const auto& run : runs) {
    EXPECT_EQ(run.id.rfind("sched-echo-7-", 0), 0u) << run.id;
    EXPECT_EQ(run.id.size(), std::string("sched-echo-7-20260301T090000Z").size()) << run.id;
    ids.insert(run.id);
  }
  EXPECT_EQ(ids.size(), runs.size());
  EXPECT_EQ(workflow::get_run(runs[0].id).return_value(10s), workflow::Json(7));
  auto info = workflow::get_schedule("echo-7");
  ASSERT_TRUE(info);
  EXPECT_FALSE(info->last_run_id.empty());
  ASSERT_TRUE(info->last_tick_at);
  EXPECT_GT(*info->last_tick_at, before);
  ASSERT_TRUE(info->next_fire_at);
  EXPECT_GT(*info->next_fire_at, *info->last_tick_at);
  EXPECT_EQ(info->arguments, workflow::Json::array({7}));
  EXPECT_EQ(info->description, "cron '* * * * * *' in UTC");
}

TEST_F(ScheduleTest, DeclaringAgainIsIdempotentAndAChangeIsApplied) {
  workflow::ScheduleOptions daily{.spec = "0 9 * * *", .time_zone = "Europe/Berlin"};
  EXPECT_EQ(workflow::schedule("report", echo, std::tuple{1}, daily), workflow::ScheduleChange::created);
  auto first = workflow::get_schedule("report");
  workflow::pause_schedule("report");
  EXPECT_EQ(workflow::schedule("report", echo, std::tuple{1}, daily), workflow::ScheduleChange::unchanged);
  auto again = workflow::get_schedule("report");
  EXPECT_TRUE(again->paused) << "declaring an unchanged schedule at worker start must not resume it";
  EXPECT_EQ(again->next_fire_at, first->next_fire_at);

  workflow::ScheduleOptions hourly{.spec = "0 * * * *", .time_zone = "Europe/Berlin"};
  EXPECT_EQ(workflow::schedule("report", echo, std::tuple{2}, hourly), workflow::ScheduleChange::updated);
  auto changed = workflow::get_schedule("report");
  EXPECT_TRUE(changed->paused) << "a changed definition keeps the schedule's state";
  EXPECT_EQ(changed->arguments, workflow::Json::array({2}));
  EXPECT_EQ(changed->options.spec, "0 * * * *");
  ASSERT_TRUE(changed->next_fire_at);
  EXPECT_LE(*changed->next_fire_at, std::chrono::system_clock::now() + 1h) << "recomputed for the new expression";
  EXPECT_EQ(changed->created_at, first->created_at);
  EXPECT_EQ(workflow::list_schedules().size(), 1u);
}

TEST_F(ScheduleTest, BadDeclarationsAreRefusedWithTheNameAndTheCause) {
  EXPECT_THROW(workflow::schedule("bad", echo, std::tuple{1}, {.spec = "61 * * * *"}), workflow::ScheduleSpecError);
  EXPECT_THROW(workflow::schedule("bad", echo, std::tuple{1}, {.spec = "* * * * *", .time_zone = "Mars/Base"}),
               workflow::ScheduleSpecError);
  try {
    workflow::schedule("has space", echo, std::tuple{1}, {.spec = "* * * * *"});
    ADD_FAILURE() << "a name with a space was accepted";
  } catch (const workflow::ConfigurationError& error) {
    EXPECT_NE(std::string(error.what()).find("has space"), std::string::npos) << error.what();
  }
  EXPECT_THROW(workflow::schedule_by_id("bad", WF_ID(echo), workflow::Json::object(), {.spec = "* * * * *"}),
               workflow::ConfigurationError);
  EXPECT_TRUE(workflow::list_schedules().empty());
  EXPECT_THROW(workflow::pause_schedule("nope"), workflow::ScheduleNotFoundError);
  EXPECT_THROW(workflow::resume_schedule("nope"), workflow::ScheduleNotFoundError);
  EXPECT_THROW(workflow::trigger_schedule("nope"), workflow::ScheduleNotFoundError);
  EXPECT_FALSE(workflow::delete_schedule("nope"));
}

TEST_F(ScheduleTest, OverlapSkipStartsNothingWhileThePreviousRunIsUnfinished) {
  workflow::schedule("held", held, std::tuple{}, every_second(workflow::OverlapPolicy::skip));
  auto runs = wait_for_runs(WF_ID(held), 1);
  ASSERT_EQ(runs.size(), 1u);
  std::this_thread::sleep_for(2500ms);
  EXPECT_EQ(runs_of(WF_ID(held)).size(), 1u) << "a tick started a run while the previous one was unfinished";
  EXPECT_GE(workflow::get_schedule("held")->skipped_count, 2);
  workflow::get_run(runs[0].id).send_event("go", 1);
  EXPECT_EQ(workflow::get_run(runs[0].id).return_value(10s), workflow::Json(1));
  EXPECT_GE(wait_for_runs(WF_ID(held), 2).size(), 2u) << "ticks start runs again once it ended";
}

TEST_F(ScheduleTest, OverlapBufferOneStartsOneWaitingTickWhenThePreviousRunEnds) {
  workflow::schedule("held", held, std::tuple{}, every_second(workflow::OverlapPolicy::buffer_one));
  auto runs = wait_for_runs(WF_ID(held), 1);
  ASSERT_EQ(runs.size(), 1u);
  std::this_thread::sleep_for(2500ms);
  auto info = workflow::get_schedule("held");
  ASSERT_TRUE(info->buffered_tick_at);
  EXPECT_GE(info->skipped_count, 1) << "ticks beyond the one buffered are skipped";
  EXPECT_EQ(runs_of(WF_ID(held)).size(), 1u);
  auto buffered_id = workflow::detail::ScheduleFiring::run_id_for_tick("held", *info->buffered_tick_at);
  workflow::get_run(runs[0].id).send_event("go", 1);
  auto after = wait_for_runs(WF_ID(held), 2);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[1].id, buffered_id) << "the run of the buffered tick";
}

TEST_F(ScheduleTest, OverlapAllowAllStartsEveryTick) {
  workflow::schedule("held", held, std::tuple{}, every_second(workflow::OverlapPolicy::allow_all));
  auto runs = wait_for_runs(WF_ID(held), 3);
  EXPECT_GE(runs.size(), 3u);
  for (const auto& run : runs) EXPECT_NE(run.status, workflow::RunStatus::completed);
  EXPECT_EQ(workflow::get_schedule("held")->skipped_count, 0);
}

TEST_F(ScheduleTest, PausedSchedulesDoNotFireAndResumingSkipsThePausedTicks) {
  workflow::schedule("echo", echo, std::tuple{1}, every_second());
  ASSERT_GE(wait_for_runs(WF_ID(echo), 1).size(), 1u);
  workflow::pause_schedule("echo");
  workflow::pause_schedule("echo");  // pausing a paused schedule does nothing
  std::this_thread::sleep_for(300ms);  // a tick being fired as it was paused has committed
  auto at_pause = runs_of(WF_ID(echo)).size();
  std::this_thread::sleep_for(2500ms);
  EXPECT_EQ(runs_of(WF_ID(echo)).size(), at_pause) << "a paused schedule fired";
  EXPECT_TRUE(workflow::get_schedule("echo")->paused);
  auto resumed_at = std::chrono::system_clock::now();
  workflow::resume_schedule("echo");
  auto after = wait_for_runs(WF_ID(echo), at_pause + 1);
  ASSERT_GT(after.size(), at_pause);
  auto first_after = workflow::get_run(after[at_pause].id);
  EXPECT_GE(first_after.created_at(), resumed_at);
  // Catch-up `skip`: the ticks of the 2.5 s paused are not replayed, not even within the grace
  // period; only ticks after the resume run.
  auto elapsed = std::chrono::system_clock::now() - resumed_at;
  auto runs_since = runs_of(WF_ID(echo)).size() - at_pause;
  EXPECT_LE(runs_since, static_cast<std::size_t>(std::chrono::ceil<std::chrono::seconds>(elapsed).count()))
      << "ticks of the paused period were replayed";
}

TEST_F(ScheduleTest, TriggerStartsARunNowWithADistinctIdEvenWhenPaused) {
  workflow::schedule("echo", echo, std::tuple{5}, {.spec = "0 0 1 1 *", .paused = true});
  auto run = workflow::trigger_schedule("echo");
  EXPECT_EQ(run.run_id().rfind("sched-echo-", 0), 0u);
  EXPECT_NE(run.run_id().find("-manual"), std::string::npos) << run.run_id();
  EXPECT_EQ(run.return_value(10s), workflow::Json(5));
  auto second = workflow::trigger_schedule("echo");
  EXPECT_NE(second.run_id(), run.run_id());
  EXPECT_EQ(workflow::get_schedule("echo")->last_run_id, second.run_id());
  EXPECT_TRUE(workflow::get_schedule("echo")->paused);
}

TEST_F(ScheduleTest, DeletedSchedulesFireNoMore) {
  workflow::schedule("echo", echo, std::tuple{1}, every_second());
  ASSERT_GE(wait_for_runs(WF_ID(echo), 1).size(), 1u);
  EXPECT_TRUE(workflow::delete_schedule("echo"));
  std::this_thread::sleep_for(300ms);
  auto at_delete = runs_of(WF_ID(echo)).size();
  std::this_thread::sleep_for(2000ms);
  EXPECT_EQ(runs_of(WF_ID(echo)).size(), at_delete);
  EXPECT_FALSE(workflow::get_schedule("echo"));
  EXPECT_FALSE(workflow::delete_schedule("echo"));
}

TEST_F(ScheduleTest, AScheduleThatCannotFireStaysDueAndHoldsNoOtherBack) {
  // No deployment registered this workflow: its ticks cannot start a run until one does.
  workflow::schedule_by_id("ghost", "workflow//./nowhere//ghost", workflow::Json::array(), every_second());
  workflow::schedule("echo", echo, std::tuple{3}, every_second());
  EXPECT_GE(wait_for_runs(WF_ID(echo), 3).size(), 3u);
  auto ghost = workflow::get_schedule("ghost");
  EXPECT_TRUE(ghost->last_run_id.empty());
  ASSERT_TRUE(ghost->next_fire_at);
  EXPECT_LT(*ghost->next_fire_at, std::chrono::system_clock::now()) << "its first tick stays due";
}

TEST_F(ScheduleTest, NextFireTimesFollowTheExpressionInItsZone) {
  workflow::schedule("berlin", echo, std::tuple{1}, {.spec = "30 2 * * *", .time_zone = "Europe/Berlin"});
  auto times = workflow::schedule_fire_times("berlin", 3);
  ASSERT_EQ(times.size(), 3u);
  EXPECT_LT(times[0], times[1]);
  EXPECT_LE(times[2] - times[0], 49h);
  EXPECT_EQ(workflow::get_schedule("berlin")->next_fire_at, times[0]);
  EXPECT_THROW(workflow::schedule_fire_times("nope", 3), workflow::ScheduleNotFoundError);
}

}  // namespace
