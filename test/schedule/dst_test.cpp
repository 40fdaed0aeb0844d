// Daylight saving time (zoned_cron.hpp, docs/schedules.md): times of day fire once per day, at
// the end of a spring-forward gap and at the first of two fall-back occurrences; expressions
// that fire every hour follow the clock as shown. Europe/Berlin and America/New_York (northern),
// Australia/Sydney (southern), America/Santiago (transitions at midnight), Pacific/Apia (a day
// skipped). Times are shown on the zone's clocks with their offset.
#include "schedule_test_support.hpp"

#include <gtest/gtest.h>

using schedule_test::fires;
using S = std::vector<std::string>;

namespace {

// Berlin, 2024: 31 March 02:00 CET -> 03:00 CEST; 27 October 03:00 CEST -> 02:00 CET.
TEST(DstBerlin, DailyAt0230MovesToTheEndOfTheGap) {
  EXPECT_EQ(fires("30 2 * * *", "Europe/Berlin", "2024-03-29 00:00:00", 4),
            (S{"2024-03-29 02:30:00 +0100", "2024-03-30 02:30:00 +0100", "2024-03-31 03:00:00 +0200",
               "2024-04-01 02:30:00 +0200"}));
}

TEST(DstBerlin, DailyAt0230FiresOnceInTheRepeatedHour) {
  EXPECT_EQ(fires("30 2 * * *", "Europe/Berlin", "2024-10-25 00:00:00", 4),
            (S{"2024-10-25 02:30:00 +0200", "2024-10-26 02:30:00 +0200", "2024-10-27 02:30:00 +0200",
               "2024-10-28 02:30:00 +0100"}));
}

TEST(DstBerlin, HourlySkipsTheMissingHour) {
  EXPECT_EQ(fires("0 * * * *", "Europe/Berlin", "2024-03-30 23:30:00", 3),
            (S{"2024-03-31 01:00:00 +0100", "2024-03-31 03:00:00 +0200", "2024-03-31 04:00:00 +0200"}));
  // Not moved to 03:00 either: in real time it stays one hour apart.
  EXPECT_EQ(fires("30 * * * *", "Europe/Berlin", "2024-03-30 23:30:00", 3),
            (S{"2024-03-31 00:30:00 +0100", "2024-03-31 01:30:00 +0100", "2024-03-31 03:30:00 +0200"}));
}

TEST(DstBerlin, HourlyFiresInBothRepeatedHours) {
  EXPECT_EQ(fires("0 * * * *", "Europe/Berlin", "2024-10-26 22:30:00", 4),
            (S{"2024-10-27 01:00:00 +0200", "2024-10-27 02:00:00 +0200", "2024-10-27 02:00:00 +0100",
               "2024-10-27 03:00:00 +0100"}));
}

TEST(DstBerlin, EveryQuarterHourKeepsItsCadenceInRealTime) {
  EXPECT_EQ(fires("*/15 * * * *", "Europe/Berlin", "2024-03-31 00:40:00", 3),
            (S{"2024-03-31 01:45:00 +0100", "2024-03-31 03:00:00 +0200", "2024-03-31 03:15:00 +0200"}));
  EXPECT_EQ(fires("*/20 * * * *", "Europe/Berlin", "2024-10-27 00:30:00", 5),
            (S{"2024-10-27 02:40:00 +0200", "2024-10-27 02:00:00 +0100", "2024-10-27 02:20:00 +0100",
               "2024-10-27 02:40:00 +0100", "2024-10-27 03:00:00 +0100"}));
}

TEST(DstBerlin, SeveralTimesInTheGapFireOnce) {
  EXPECT_EQ(fires("0,30 2 * * *", "Europe/Berlin", "2024-03-31 00:00:00", 3),
            (S{"2024-03-31 03:00:00 +0200", "2024-04-01 02:00:00 +0200", "2024-04-01 02:30:00 +0200"}));
  // 02:00 moves to 03:00, which the expression names too: still one fire.
  EXPECT_EQ(fires("0 2-3 * * *", "Europe/Berlin", "2024-03-31 00:00:00", 3),
            (S{"2024-03-31 03:00:00 +0200", "2024-04-01 02:00:00 +0200", "2024-04-01 03:00:00 +0200"}));
  EXPECT_EQ(fires("* 2 * * *", "Europe/Berlin", "2024-03-31 00:00:00", 2),
            (S{"2024-03-31 03:00:00 +0200", "2024-04-01 02:00:00 +0200"}));
}

TEST(DstBerlin, MinutesOfAFixedHourFireOnlyInItsFirstOccurrence) {
  EXPECT_EQ(fires("*/20 2 * * *", "Europe/Berlin", "2024-10-27 00:00:00", 4),
            (S{"2024-10-27 02:00:00 +0200", "2024-10-27 02:20:00 +0200", "2024-10-27 02:40:00 +0200",
               "2024-10-28 02:00:00 +0100"}));
  // Asked from inside the second occurrence, the next fire is the next day's.
  EXPECT_EQ(fires("*/20 2 * * *", "Europe/Berlin", "2024-10-27 01:10:00", 1), S{"2024-10-28 02:00:00 +0100"});
}

TEST(DstBerlin, EveryOtherHourIsATimeOfDayExpression) {
  EXPECT_EQ(fires("0 */2 * * *", "Europe/Berlin", "2024-03-30 23:00:00", 3),
            (S{"2024-03-31 00:00:00 +0100", "2024-03-31 03:00:00 +0200", "2024-03-31 04:00:00 +0200"}));
  EXPECT_EQ(fires("0 */2 * * *", "Europe/Berlin", "2024-10-26 22:00:00", 3),
            (S{"2024-10-27 00:00:00 +0200", "2024-10-27 02:00:00 +0200", "2024-10-27 04:00:00 +0100"}));
}

TEST(DstBerlin, StrictlyAfterTheMovedFire) {
  const auto spec = workflow::detail::ScheduleSpec::parse("30 2 * * *", "Europe/Berlin");
  const auto gap_end = schedule_test::utc("2024-03-31 01:00:00");  // 03:00 CEST
  EXPECT_EQ(*spec.next_after(gap_end - std::chrono::seconds(1)), gap_end);
  EXPECT_EQ(schedule_test::zoned_text(*spec.next_after(gap_end), "Europe/Berlin"), "2024-04-01 02:30:00 +0200");
}

TEST(DstBerlin, SecondsFieldInsideTheGap) {
  EXPECT_EQ(fires("15 30 2 * * *", "Europe/Berlin", "2024-03-31 00:00:00", 2),
            (S{"2024-03-31 03:00:00 +0200", "2024-04-01 02:30:15 +0200"}));
}

// New York, 2024: 10 March 02:00 EST -> 03:00 EDT; 3 November 02:00 EDT -> 01:00 EST.
TEST(DstNewYork, DailyAt0230AcrossBothTransitions) {
  EXPECT_EQ(fires("30 2 * * *", "America/New_York", "2024-03-09 00:00:00", 3),
            (S{"2024-03-09 02:30:00 -0500", "2024-03-10 03:00:00 -0400", "2024-03-11 02:30:00 -0400"}));
  // Here the repeated hour is 01:00-02:00, so 02:30 happens once anyway.
  EXPECT_EQ(fires("30 2 * * *", "America/New_York", "2024-11-02 00:00:00", 3),
            (S{"2024-11-02 02:30:00 -0400", "2024-11-03 02:30:00 -0500", "2024-11-04 02:30:00 -0500"}));
}

TEST(DstNewYork, DailyAt0130FiresOnceInTheRepeatedHour) {
  EXPECT_EQ(fires("30 1 * * *", "America/New_York", "2024-11-02 00:00:00", 3),
            (S{"2024-11-02 01:30:00 -0400", "2024-11-03 01:30:00 -0400", "2024-11-04 01:30:00 -0500"}));
}

TEST(DstNewYork, HourlyAcrossBothTransitions) {
  EXPECT_EQ(fires("@hourly", "America/New_York", "2024-03-10 05:30:00", 3),
            (S{"2024-03-10 01:00:00 -0500", "2024-03-10 03:00:00 -0400", "2024-03-10 04:00:00 -0400"}));
  EXPECT_EQ(fires("@hourly", "America/New_York", "2024-11-03 04:30:00", 4),
            (S{"2024-11-03 01:00:00 -0400", "2024-11-03 01:00:00 -0500", "2024-11-03 02:00:00 -0500",
               "2024-11-03 03:00:00 -0500"}));
}

// Sydney, 2024: 7 April 03:00 AEDT -> 02:00 AEST; 6 October 02:00 AEST -> 03:00 AEDT.
TEST(DstSydney, DailyAt0230AcrossBothTransitions) {
  EXPECT_EQ(fires("30 2 * * *", "Australia/Sydney", "2024-04-05 00:00:00", 3),
            (S{"2024-04-06 02:30:00 +1100", "2024-04-07 02:30:00 +1100", "2024-04-08 02:30:00 +1000"}));
  EXPECT_EQ(fires("30 2 * * *", "Australia/Sydney", "2024-10-04 00:00:00", 3),
            (S{"2024-10-05 02:30:00 +1000", "2024-10-06 03:00:00 +1100", "2024-10-07 02:30:00 +1100"}));
}

TEST(DstSydney, HourlyAcrossBothTransitions) {
  EXPECT_EQ(fires("0 * * * *", "Australia/Sydney", "2024-04-06 13:30:00", 4),
            (S{"2024-04-07 01:00:00 +1100", "2024-04-07 02:00:00 +1100", "2024-04-07 02:00:00 +1000",
               "2024-04-07 03:00:00 +1000"}));
  EXPECT_EQ(fires("0 * * * *", "Australia/Sydney", "2024-10-05 14:30:00", 3),
            (S{"2024-10-06 01:00:00 +1000", "2024-10-06 03:00:00 +1100", "2024-10-06 04:00:00 +1100"}));
}

// Santiago, 2024: 7 April 00:00 -03 -> 6 April 23:00 -04; 8 September 00:00 -04 -> 01:00 -03.
TEST(DstSantiago, MidnightInsideTheGapFiresWhenItEnds) {
  EXPECT_EQ(fires("@daily", "America/Santiago", "2024-09-07 00:00:00", 3),
            (S{"2024-09-07 00:00:00 -0400", "2024-09-08 01:00:00 -0300", "2024-09-09 00:00:00 -0300"}));
}

TEST(DstSantiago, RepeatedHourAtTheEndOfTheDay) {
  EXPECT_EQ(fires("30 23 * * *", "America/Santiago", "2024-04-05 12:00:00", 3),
            (S{"2024-04-05 23:30:00 -0300", "2024-04-06 23:30:00 -0300", "2024-04-07 23:30:00 -0400"}));
  EXPECT_EQ(fires("@daily", "America/Santiago", "2024-04-05 12:00:00", 3),
            (S{"2024-04-06 00:00:00 -0300", "2024-04-07 00:00:00 -0400", "2024-04-08 00:00:00 -0400"}));
}

// Samoa skipped 30 December 2011 entirely (UTC-10 -> UTC+14).
TEST(DstApia, ASkippedDayFiresOnceAsItEnds) {
  EXPECT_EQ(fires("0 12 * * *", "Pacific/Apia", "2011-12-29 00:00:00", 3),
            (S{"2011-12-29 12:00:00 -1000", "2011-12-31 00:00:00 +1400", "2011-12-31 12:00:00 +1400"}));
  EXPECT_EQ(fires("@daily", "Pacific/Apia", "2011-12-29 12:00:00", 2),
            (S{"2011-12-31 00:00:00 +1400", "2012-01-01 00:00:00 +1400"}));
}

// Lord Howe shifts by 30 minutes: on 6 October 2024 02:00 +1030 -> 02:30 +11.
TEST(DstLordHowe, HalfHourGap) {
  EXPECT_EQ(fires("15 2 * * *", "Australia/Lord_Howe", "2024-10-05 00:00:00", 2),
            (S{"2024-10-06 02:30:00 +1100", "2024-10-07 02:15:00 +1100"}));
  EXPECT_EQ(fires("15 * * * *", "Australia/Lord_Howe", "2024-10-05 14:00:00", 2),
            (S{"2024-10-06 01:15:00 +1030", "2024-10-06 03:15:00 +1100"}));
}

TEST(DstUtc, NoTransitionsNoSurprises) {
  EXPECT_EQ(fires("30 2 * * *", "UTC", "2024-03-31 00:00:00", 2),
            (S{"2024-03-31 02:30:00 +0000", "2024-04-01 02:30:00 +0000"}));
}

}  // namespace
