// Next fire times against the calendar, in UTC: leap days, ends of months, year rollover,
// matches years apart, and expressions that never fire returning at once.
#include "schedule_test_support.hpp"

#include <gtest/gtest.h>

using schedule_test::fires;
using S = std::vector<std::string>;

namespace {

std::vector<std::string> utc_fires(std::string_view spec, std::string_view from, std::size_t count) {
  return fires(spec, "UTC", from, count);
}

TEST(CronCalendar, LeapDayFiresOnlyInLeapYears) {
  EXPECT_EQ(utc_fires("0 12 29 2 *", "2023-01-01 00:00:00", 3),
            (S{"2024-02-29 12:00:00 +0000", "2028-02-29 12:00:00 +0000", "2032-02-29 12:00:00 +0000"}));
}

TEST(CronCalendar, LeapDayAcrossACenturyThatIsNotLeap) {
  // 2100 is not a leap year: eight years from 2096 to 2104.
  EXPECT_EQ(utc_fires("0 0 29 2 *", "2096-03-01 00:00:00", 1), S{"2104-02-29 00:00:00 +0000"});
  // 2000 was (divisible by 400).
  EXPECT_EQ(utc_fires("0 0 29 2 *", "1997-01-01 00:00:00", 1), S{"2000-02-29 00:00:00 +0000"});
}

TEST(CronCalendar, DayThirtyOneSkipsShortMonths) {
  EXPECT_EQ(utc_fires("0 0 31 * *", "2024-01-31 00:00:01", 4),
            (S{"2024-03-31 00:00:00 +0000", "2024-05-31 00:00:00 +0000", "2024-07-31 00:00:00 +0000",
               "2024-08-31 00:00:00 +0000"}));
}

TEST(CronCalendar, EndOfMonthThenFirstOfNext) {
  EXPECT_EQ(utc_fires("59 23 28-31 2 *", "2023-02-27 00:00:00", 2),
            (S{"2023-02-28 23:59:00 +0000", "2024-02-28 23:59:00 +0000"}));
  EXPECT_EQ(utc_fires("0 0 1,30 * *", "2024-01-30 00:00:01", 3),
            (S{"2024-02-01 00:00:00 +0000", "2024-03-01 00:00:00 +0000", "2024-03-30 00:00:00 +0000"}));
}

TEST(CronCalendar, YearRollover) {
  EXPECT_EQ(utc_fires("@yearly", "2024-12-31 23:59:59", 2),
            (S{"2025-01-01 00:00:00 +0000", "2026-01-01 00:00:00 +0000"}));
  EXPECT_EQ(utc_fires("*/30 * * * * *", "2024-12-31 23:59:31", 2),
            (S{"2025-01-01 00:00:00 +0000", "2025-01-01 00:00:30 +0000"}));
  EXPECT_EQ(utc_fires("0 0 * DEC FRI", "2024-12-28 00:00:00", 2),
            (S{"2025-12-05 00:00:00 +0000", "2025-12-12 00:00:00 +0000"}));
}

TEST(CronCalendar, MacrosFromAnAwkwardMoment) {
  const std::string_view from = "2024-02-29 13:47:12";  // a Thursday
  EXPECT_EQ(utc_fires("@hourly", from, 1), S{"2024-02-29 14:00:00 +0000"});
  EXPECT_EQ(utc_fires("@daily", from, 1), S{"2024-03-01 00:00:00 +0000"});
  EXPECT_EQ(utc_fires("@midnight", from, 1), S{"2024-03-01 00:00:00 +0000"});
  EXPECT_EQ(utc_fires("@weekly", from, 1), S{"2024-03-03 00:00:00 +0000"});
  EXPECT_EQ(utc_fires("@monthly", from, 1), S{"2024-03-01 00:00:00 +0000"});
  EXPECT_EQ(utc_fires("@annually", from, 1), S{"2025-01-01 00:00:00 +0000"});
}

TEST(CronCalendar, WeekdaysOrDaysOfMonth) {
  // The 1st and 15th, or any Monday: March 2024 (Mondays 4, 11, 18, 25).
  EXPECT_EQ(utc_fires("0 9 1,15 * MON", "2024-03-01 00:00:00", 6),
            (S{"2024-03-01 09:00:00 +0000", "2024-03-04 09:00:00 +0000", "2024-03-11 09:00:00 +0000",
               "2024-03-15 09:00:00 +0000", "2024-03-18 09:00:00 +0000", "2024-03-25 09:00:00 +0000"}));
}

TEST(CronCalendar, AStarredStepLeavesTheOtherDayFieldInCharge) {
  // Both restricted: the 13th OR a Friday. Written with a leading `*`, a field is unrestricted
  // as in Vixie cron, and the other decides.
  EXPECT_EQ(utc_fires("0 0 13 * FRI", "2024-01-01 00:00:00", 1), S{"2024-01-05 00:00:00 +0000"});  // OR
  EXPECT_EQ(utc_fires("0 0 */1 * FRI", "2024-01-01 00:00:00", 1), S{"2024-01-05 00:00:00 +0000"});
  EXPECT_EQ(utc_fires("0 0 13 * */1", "2024-01-01 00:00:00", 1), S{"2024-01-13 00:00:00 +0000"});
}

TEST(CronCalendar, StrictlyAfterAtSecondPrecision) {
  const auto spec = workflow::detail::ScheduleSpec::parse("* * * * *", "UTC");
  const auto on_the_minute = schedule_test::utc("2024-01-01 10:00:00");
  EXPECT_EQ(schedule_test::utc_text(*spec.next_after(on_the_minute)), "2024-01-01 10:01:00");
  EXPECT_EQ(schedule_test::utc_text(*spec.next_after(on_the_minute - std::chrono::milliseconds(1))),
            "2024-01-01 10:00:00");
  EXPECT_EQ(schedule_test::utc_text(*spec.next_after(on_the_minute + std::chrono::milliseconds(500))),
            "2024-01-01 10:01:00");
  // Results are whole seconds.
  const auto next = *spec.next_after(on_the_minute + std::chrono::milliseconds(500));
  EXPECT_EQ(next, std::chrono::floor<std::chrono::seconds>(next));
}

TEST(CronCalendar, ImpossibleExpressionsReturnNothingAtOnce) {
  for (std::string_view zone : {"UTC", "Europe/Berlin"}) {
    for (std::string_view impossible : {"0 0 30 2 *", "0 0 31 11 *", "* * 31 4,6,9,11 *"}) {
      const auto spec = workflow::detail::ScheduleSpec::parse(impossible, zone);
      const auto started = std::chrono::steady_clock::now();
      EXPECT_EQ(spec.next_after(schedule_test::utc("2024-01-01 00:00:00")), std::nullopt) << impossible;
      EXPECT_TRUE(spec.next_n(schedule_test::utc("2024-01-01 00:00:00"), 5).empty());
      EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(50)) << impossible;
    }
  }
}

TEST(CronCalendar, RareMatchesYearsAwayAreFound) {
  // February 1st on a Sunday, both fields starred-or-restricted as Vixie reads them (AND).
  EXPECT_EQ(utc_fires("0 0 */30 2 SUN", "2016-01-01 00:00:00", 2),
            (S{"2026-02-01 00:00:00 +0000", "2032-02-01 00:00:00 +0000"}));
}

TEST(CronCalendar, StopsAtTheEndOfTheClocksRange) {
  // system_clock counts nanoseconds in 64 bits: nothing after 2262-04-11 can be returned.
  EXPECT_EQ(utc_fires("0 0 1 1 *", "2260-06-01 00:00:00", 5),
            (S{"2261-01-01 00:00:00 +0000", "2262-01-01 00:00:00 +0000"}));
  EXPECT_EQ(utc_fires("@every 1d", "2262-04-09 00:00:00", 5),
            (S{"2262-04-09 00:00:00 +0000", "2262-04-10 00:00:00 +0000", "2262-04-11 00:00:00 +0000"}));
}

}  // namespace
