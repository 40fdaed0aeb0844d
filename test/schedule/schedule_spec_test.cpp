// Schedule specs (schedule_spec.hpp): `@every` intervals, time zones, descriptions, the errors
// that are not about cron fields, and the public next_fire_times/describe_schedule.
#include "schedule_test_support.hpp"

#include <workflow/schedule_spec.hpp>

#include <gtest/gtest.h>

#include <algorithm>

using schedule_test::fires;
using schedule_test::spec_error;
using schedule_test::utc;
using workflow::detail::ScheduleSpec;
using S = std::vector<std::string>;

namespace {

TEST(EveryInterval, CountsFromTheUnixEpoch) {
  EXPECT_EQ(fires("@every 30s", "UTC", "2024-01-01 10:00:01", 3),
            (S{"2024-01-01 10:00:30 +0000", "2024-01-01 10:01:00 +0000", "2024-01-01 10:01:30 +0000"}));
  EXPECT_EQ(fires("@every 5m", "UTC", "2024-01-01 10:03:00", 2),
            (S{"2024-01-01 10:05:00 +0000", "2024-01-01 10:10:00 +0000"}));
  // 7 minutes do not divide an hour: the ticks are multiples of 420 s since 1970.
  EXPECT_EQ(fires("@every 7m", "UTC", "2024-01-01 00:00:00", 2),
            (S{"2024-01-01 00:01:00 +0000", "2024-01-01 00:08:00 +0000"}));
  EXPECT_EQ(fires("@every 1h30m", "UTC", "2024-01-01 00:00:01", 2),
            (S{"2024-01-01 01:30:00 +0000", "2024-01-01 03:00:00 +0000"}));
  EXPECT_EQ(fires("@every 2d", "UTC", "2024-01-01 00:00:00", 2),
            (S{"2024-01-02 00:00:00 +0000", "2024-01-04 00:00:00 +0000"}));
  EXPECT_EQ(fires("@every 1s", "UTC", "2024-01-01 00:00:00", 2),
            (S{"2024-01-01 00:00:00 +0000", "2024-01-01 00:00:01 +0000"}));
}

TEST(EveryInterval, BeforeTheEpochToo) {
  EXPECT_EQ(fires("@every 1h", "UTC", "1969-12-31 22:30:00", 2),
            (S{"1969-12-31 23:00:00 +0000", "1970-01-01 00:00:00 +0000"}));
}

TEST(EveryInterval, IsElapsedTimeWhateverTheZone) {
  // Across Berlin's fall back the hourly ticks stay one real hour apart, and the zone does not
  // move them: they are on the hour in UTC, so on the hour in Berlin too.
  EXPECT_EQ(fires("@every 1h", "Europe/Berlin", "2024-10-26 23:30:00", 3),
            (S{"2024-10-27 02:00:00 +0200", "2024-10-27 02:00:00 +0100", "2024-10-27 03:00:00 +0100"}));
  // A whole number of days is midnight UTC, not local midnight.
  EXPECT_EQ(fires("@every 1d", "America/New_York", "2024-01-01 12:00:00", 1), S{"2024-01-01 19:00:00 -0500"});
}

TEST(EveryInterval, IsCaseInsensitiveAndToleratesBlanks) {
  EXPECT_EQ(fires("  @EVERY   90S ", "UTC", "2024-01-01 00:00:01", 1), S{"2024-01-01 00:01:30 +0000"});
}

TEST(EveryInterval, Errors) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"@every", "schedule '@every': @every needs an interval, e.g. @every 30s, @every 5m, @every 1h30m"},
      {"@every 0s", "schedule '@every 0s': interval '0s' must be at least 1 second"},
      {"@every 30", "schedule '@every 30': interval '30' has a number without a unit (s, m, h or d)"},
      {"@every 5x", "schedule '@every 5x': interval '5x' has an unknown unit 'x' (use s, m, h or d)"},
      {"@every m", "schedule '@every m': interval 'm' must be numbers with units, e.g. 30s, 5m, 1h30m, 2d"},
      {"@every 1h 30m", "schedule '@every 1h 30m': interval '1h 30m' must be numbers with units, e.g. 30s, 5m, 1h30m, 2d"},
      {"@every -5m", "schedule '@every -5m': interval '-5m' must be numbers with units, e.g. 30s, 5m, 1h30m, 2d"},
      {"@every 36601d", "schedule '@every 36601d': interval '36601d' is longer than 100 years"},
      {"@every 99999999999999999999s",
       "schedule '@every 99999999999999999999s': interval '99999999999999999999s' is longer than 100 years"},
      {"@everyday",
       "cron expression '@everyday': unknown macro @everyday (known: @yearly, @annually, @monthly, @weekly, @daily, "
       "@midnight, @hourly)"},
  };
  for (auto [spec, message] : cases) EXPECT_EQ(spec_error(spec), message) << spec;
}

TEST(TimeZones, UnknownZoneIsAnError) {
  EXPECT_EQ(spec_error("@daily", "Mars/Olympus_Mons"),
            "time zone 'Mars/Olympus_Mons': not in the time zone database (/usr/share/zoneinfo); use an IANA name "
            "such as Europe/Berlin, America/New_York or UTC");
  // Checked for intervals as well, though they do not use it: a typo should not wait for a cron.
  EXPECT_EQ(spec_error("@every 1m", "Europe/Berlinn").substr(0, 27), "time zone 'Europe/Berlinn':");
}

TEST(TimeZones, EmptyMeansUtc) {
  const ScheduleSpec spec = ScheduleSpec::parse("@daily", "");
  EXPECT_EQ(spec.time_zone_name(), "UTC");
  EXPECT_EQ(schedule_test::utc_text(*spec.next_after(utc("2024-01-01 12:00:00"))), "2024-01-02 00:00:00");
}

TEST(TimeZones, SameExpressionDifferentZones) {
  const auto after = utc("2024-07-01 00:00:00");
  const auto at_nine = [&](std::string_view zone) {
    return schedule_test::utc_text(*ScheduleSpec::parse("0 9 * * *", zone).next_after(after));
  };
  EXPECT_EQ(at_nine("UTC"), "2024-07-01 09:00:00");
  EXPECT_EQ(at_nine("Europe/Berlin"), "2024-07-01 07:00:00");
  EXPECT_EQ(at_nine("America/New_York"), "2024-07-01 13:00:00");
  EXPECT_EQ(at_nine("Australia/Sydney"), "2024-07-01 23:00:00");
  EXPECT_EQ(at_nine("Asia/Kolkata"), "2024-07-01 03:30:00");
}

TEST(ScheduleSpecs, Describe) {
  EXPECT_EQ(ScheduleSpec::parse(" 30  2 * * * ", "Europe/Berlin").describe(), "cron '30 2 * * *' in Europe/Berlin");
  EXPECT_EQ(ScheduleSpec::parse("@daily", "UTC").describe(), "cron '@daily' in UTC");
  EXPECT_EQ(ScheduleSpec::parse("@every 90m", "UTC").describe(), "every 1h30m from the Unix epoch (UTC)");
  EXPECT_EQ(ScheduleSpec::parse("@every 1d1s", "UTC").describe(), "every 1d1s from the Unix epoch (UTC)");
  EXPECT_EQ(ScheduleSpec::parse("@every 3600s", "UTC").describe(), "every 1h from the Unix epoch (UTC)");
}

TEST(ScheduleSpecs, NextNIsAChainOfNextAfter) {
  const ScheduleSpec spec = ScheduleSpec::parse("*/10 9-10 * * MON-FRI", "Europe/Berlin");
  const auto from = utc("2024-03-29 08:55:00");  // a Friday
  const auto times = spec.next_n(from, 20);
  ASSERT_EQ(times.size(), 20u);
  auto previous = from;
  for (auto time : times) {
    EXPECT_EQ(spec.next_after(previous), time);
    previous = time;
  }
  EXPECT_EQ(schedule_test::zoned_text(times[0], "Europe/Berlin"), "2024-03-29 10:00:00 +0100");
  EXPECT_EQ(schedule_test::zoned_text(times[6], "Europe/Berlin"), "2024-04-01 09:00:00 +0200");
  EXPECT_TRUE(spec.next_n(from, 0).empty());
}

TEST(ScheduleSpecs, AYearOfMinutesIsQuick) {
  const ScheduleSpec spec = ScheduleSpec::parse("* * * * *", "Europe/Berlin");
  const auto started = std::chrono::steady_clock::now();
  const auto from = utc("2024-01-01 00:00:00");
  const int minutes_in_2024 = 366 * 24 * 60;
  const auto times = spec.next_n(from, minutes_in_2024);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  // Every real minute once: the hour skipped in March and the one repeated in October cancel out.
  ASSERT_EQ(times.size(), static_cast<std::size_t>(minutes_in_2024));
  EXPECT_EQ(times.back(), from + std::chrono::minutes(minutes_in_2024));
  EXPECT_TRUE(std::adjacent_find(times.begin(), times.end(), [](auto a, auto b) {
                return b - a != std::chrono::minutes(1);
              }) == times.end());
}

TEST(PublicApi, NextFireTimes) {
  const auto times = workflow::next_fire_times("30 2 * * *", "Europe/Berlin", utc("2024-03-30 12:00:00"), 2);
  ASSERT_EQ(times.size(), 2u);
  EXPECT_EQ(schedule_test::utc_text(times[0]), "2024-03-31 01:00:00");
  EXPECT_EQ(schedule_test::utc_text(times[1]), "2024-04-01 00:30:00");
  EXPECT_TRUE(workflow::next_fire_times("0 0 30 2 *", "UTC", utc("2024-01-01 00:00:00"), 3).empty());
  EXPECT_THROW(workflow::next_fire_times("61 * * * *", "UTC", utc("2024-01-01 00:00:00"), 1),
               workflow::ScheduleSpecError);
}

TEST(PublicApi, DescribeSchedule) {
  EXPECT_EQ(workflow::describe_schedule("@every 30s", ""), "every 30s from the Unix epoch (UTC)");
  EXPECT_THROW(workflow::describe_schedule("@daily", "Nowhere/Special"), workflow::ScheduleSpecError);
}

}  // namespace
