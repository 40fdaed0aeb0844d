// The catch-up and overlap policies as plan_ticks applies them (engine/schedule_ticks.hpp): which
// due ticks start runs, which wait, which are skipped, and where the schedule goes on.
#include "engine/schedule_ticks.hpp"

#include <gtest/gtest.h>

namespace workflow::detail {
namespace {

using namespace std::chrono_literals;

// 2026-03-01 00:00:00 UTC plus `seconds`.
TimePoint t(std::int64_t seconds) { return from_micros((1772323200LL + seconds) * 1'000'000); }

ScheduleRecord every_minute(std::string catch_up, std::string overlap = "allow_all") {
  ScheduleRecord schedule;
  schedule.name = "s";
  schedule.spec = "@every 1m";
  schedule.catch_up = std::move(catch_up);
  schedule.overlap = std::move(overlap);
  schedule.grace = 60s;
  schedule.catch_up_window = 5min;
  return schedule;
}

const ScheduleSpec kEveryMinute = ScheduleSpec::parse("@every 1m", "");

// Down from 00:00 to 10:30: ticks 00:00 .. 10:00 were missed; the one at 10:00 is within grace.
TickPlan after_ten_minutes_down(const ScheduleRecord& schedule, bool previous_unfinished = false) {
  auto due = schedule;
  due.next_fire_at = t(0);
  return plan_ticks(due, kEveryMinute, t(630), previous_unfinished, 1000);
}

TEST(SchedulePolicy, CatchUpSkipRunsOnlyTicksWithinTheGracePeriod) {
  auto plan = after_ten_minutes_down(every_minute("skip"));
  EXPECT_EQ(plan.start, (std::vector<TimePoint>{t(600)}));
  EXPECT_EQ(plan.next_fire_at, t(660));
}

TEST(SchedulePolicy, CatchUpLastRunsTheLatestMissedTickAndThoseWithinGrace) {
  auto plan = after_ten_minutes_down(every_minute("last"));
  EXPECT_EQ(plan.start, (std::vector<TimePoint>{t(540), t(600)}));
  EXPECT_EQ(plan.next_fire_at, t(660));
}

TEST(SchedulePolicy, CatchUpAllRunsEveryTickWithinTheWindow) {
  auto plan = after_ten_minutes_down(every_minute("all"));
  // The window reaches back 5 minutes from 10:30: ticks 05:30 .. 10:00 qualify.
  EXPECT_EQ(plan.start, (std::vector<TimePoint>{t(360), t(420), t(480), t(540), t(600)}));
  EXPECT_EQ(plan.next_fire_at, t(660));
}

TEST(SchedulePolicy, AWindowWiderThanTheDowntimeRunsEveryMissedTick) {
  auto schedule = every_minute("all");
  schedule.catch_up_window = 1h;
  EXPECT_EQ(after_ten_minutes_down(schedule).start.size(), 11u);
}

TEST(SchedulePolicy, ALateTickWithinGraceRunsWhateverThePolicy) {
  for (auto policy : {"skip", "last", "all"}) {
    auto schedule = every_minute(policy);
    schedule.next_fire_at = t(60);
    auto plan = plan_ticks(schedule, kEveryMinute, t(100), false, 1000);
    EXPECT_EQ(plan.start, (std::vector<TimePoint>{t(60)})) << policy;
    EXPECT_EQ(plan.next_fire_at, t(120)) << policy;
  }
}

TEST(SchedulePolicy, NothingIsDueBeforeTheNextFireTime) {
  auto schedule = every_minute("all");
  schedule.next_fire_at = t(60);
  auto plan = plan_ticks(schedule, kEveryMinute, t(59), false, 1000);
  EXPECT_TRUE(plan.start.empty());
  EXPECT_EQ(plan.next_fire_at, t(60));
}

TEST(SchedulePolicy, OverlapSkipCountsTicksWhileThePreviousRunIsUnfinished) {
  auto schedule = every_minute("all", "skip");
  schedule.catch_up_window = 1h;
  auto busy = after_ten_minutes_down(schedule, /*previous_unfinished=*/true);
  EXPECT_TRUE(busy.start.empty());
  EXPECT_EQ(busy.skipped, 11);
  auto idle = after_ten_minutes_down(schedule, false);
  EXPECT_EQ(idle.start, (std::vector<TimePoint>{t(0)})) << "the first starts; it is unfinished for the others";
  EXPECT_EQ(idle.skipped, 10);
}

TEST(SchedulePolicy, OverlapBufferOneKeepsOneTickUntilThePreviousRunEnds) {
  auto schedule = every_minute("all", "buffer_one");
  schedule.catch_up_window = 1h;
  auto busy = after_ten_minutes_down(schedule, true);
  EXPECT_TRUE(busy.start.empty());
  EXPECT_EQ(busy.buffered_tick_at, t(0));
  EXPECT_EQ(busy.skipped, 10);

  auto waiting = schedule;
  waiting.next_fire_at = t(660);
  waiting.buffered_tick_at = t(0);
  auto still_busy = plan_ticks(waiting, kEveryMinute, t(630), true, 1000);
  EXPECT_TRUE(still_busy.start.empty());
  EXPECT_EQ(still_busy.buffered_tick_at, t(0));
  auto ended = plan_ticks(waiting, kEveryMinute, t(630), false, 1000);
  EXPECT_EQ(ended.start, (std::vector<TimePoint>{t(0)})) << "the buffered tick starts once its predecessor ended";
  EXPECT_FALSE(ended.buffered_tick_at);
}

TEST(SchedulePolicy, OverlapAllowAllStartsEveryTick) {
  auto schedule = every_minute("all", "allow_all");
  schedule.catch_up_window = 1h;
  auto plan = after_ten_minutes_down(schedule, true);
  EXPECT_EQ(plan.start.size(), 11u);
  EXPECT_EQ(plan.skipped, 0);
}

TEST(SchedulePolicy, ALongCatchUpIsHandledInBoundedPassesThatGoOnWhereTheyStopped) {
  auto schedule = every_minute("all");
  schedule.catch_up_window = 24h;
  schedule.next_fire_at = t(0);
  auto first = plan_ticks(schedule, kEveryMinute, t(600), false, 4);
  EXPECT_EQ(first.start, (std::vector<TimePoint>{t(0), t(60), t(120), t(180)}));
  EXPECT_EQ(first.next_fire_at, t(240));
}

TEST(SchedulePolicy, LatestTickFindsTheLastMissedSecondOfAWeekWithoutWalkingIt) {
  auto every_second = ScheduleSpec::parse("* * * * * *", "");
  EXPECT_EQ(latest_tick(every_second, t(0), t(7 * 86400)), t(7 * 86400 - 1));
  auto yearly = ScheduleSpec::parse("0 0 1 1 *", "");
  EXPECT_EQ(latest_tick(yearly, t(0), t(400 * 86400)), from_micros(1798761600LL * 1'000'000));  // 2027-01-01
  EXPECT_FALSE(latest_tick(yearly, t(0), t(86400)));
}

TEST(SchedulePolicy, ResumingReplaysThePausedPeriodOnlyAsTheCatchUpPolicySays) {
  auto paused_at_start = [](std::string policy) {
    auto schedule = every_minute(std::move(policy));
    schedule.next_fire_at = t(0);
    return resume_fire_time(schedule, kEveryMinute, t(630));
  };
  EXPECT_EQ(paused_at_start("skip"), t(660)) << "no tick of the paused period, not even one within grace";
  EXPECT_EQ(paused_at_start("last"), t(600));
  EXPECT_EQ(paused_at_start("all"), t(360)) << "the first within the 5-minute window";
}

}  // namespace
}  // namespace workflow::detail
