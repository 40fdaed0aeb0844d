// Past the last transition of a zone file (2037 in Debian's tzdata), offsets come from the file's
// footer rule (posix_tz_rule.hpp), not from the last listed period: DST goes on in 2040 and 2045.
// Expected instants were computed with Python's zoneinfo, which reads the footer too.
#include "schedule/posix_tz_rule.hpp"
#include "schedule/time_zone.hpp"
#include "schedule_test_support.hpp"

#include <workflow/schedule_spec.hpp>

#include <gtest/gtest.h>

namespace {

using namespace std::chrono;
using schedule_test::utc;
using workflow::detail::PosixTzRule;
using workflow::detail::TimeZone;

sys_seconds at(std::string_view text) { return floor<seconds>(utc(text)); }

TEST(PosixTzRule, ParsesTheFootersOfTzdata) {
  EXPECT_TRUE(PosixTzRule::parse("CET-1CEST,M3.5.0,M10.5.0/3"));
  EXPECT_TRUE(PosixTzRule::parse("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0"));
  EXPECT_TRUE(PosixTzRule::parse("EST5EDT,M3.2.0,M11.1.0"));
  EXPECT_TRUE(PosixTzRule::parse("<-03>3<-02>,M3.5.0/-2,M10.5.0/-1"));
  EXPECT_FALSE(PosixTzRule::parse("UTC0")->has_dst());
  EXPECT_FALSE(PosixTzRule::parse(""));
  EXPECT_FALSE(PosixTzRule::parse("CET-1CEST,M13.5.0,M10.5.0"));
  EXPECT_FALSE(PosixTzRule::parse("CET-1CEST,M3.5.0"));
  EXPECT_FALSE(PosixTzRule::parse("X-1"));
}

TEST(PosixTzRule, BerlinKeepsChangingClocksAfter2037) {
  auto period = TimeZone::locate("Europe/Berlin").period_at(at("2040-06-01 00:00:00"));
  EXPECT_EQ(period.offset, hours(2));
  EXPECT_EQ(period.begin, at("2040-03-25 01:00:00"));
  EXPECT_EQ(period.end, at("2040-10-28 01:00:00"));
  EXPECT_EQ(TimeZone::locate("Europe/Berlin").period_at(at("2040-12-01 00:00:00")).offset, hours(1));
}

TEST(PosixTzRule, NewYorkAndTheSouthernHemisphereToo) {
  auto new_york = TimeZone::locate("America/New_York").period_at(at("2045-07-01 00:00:00"));
  EXPECT_EQ(new_york.offset, hours(-4));
  EXPECT_EQ(new_york.begin, at("2045-03-12 07:00:00"));
  EXPECT_EQ(new_york.end, at("2045-11-05 06:00:00"));
  auto sydney = TimeZone::locate("Australia/Sydney").period_at(at("2040-01-15 00:00:00"));
  EXPECT_EQ(sydney.offset, hours(11));
  EXPECT_EQ(sydney.begin, at("2039-10-01 16:00:00"));
  EXPECT_EQ(sydney.end, at("2040-03-31 16:00:00"));
}

TEST(PosixTzRule, TheLastListedTransitionStillHolds) {
  // Debian's tzdata lists Berlin's changes up to 27 October 2037; the rule's begin cannot be
  // earlier than that period's.
  auto zone = TimeZone::locate("Europe/Berlin");
  auto winter = zone.period_at(at("2037-12-01 00:00:00"));
  EXPECT_EQ(winter.offset, hours(1));
  EXPECT_EQ(winter.end, at("2038-03-28 01:00:00"));
  EXPECT_EQ(zone.period_at(at("2038-07-01 00:00:00")).offset, hours(2));
}

TEST(PosixTzRule, CronFiresAcrossTheSpringGapOf2040) {
  auto fires = workflow::next_fire_times("30 2 * * *", "Europe/Berlin", utc("2040-03-23 12:00:00"), 3);
  ASSERT_EQ(fires.size(), 3u);
  EXPECT_EQ(schedule_test::utc_text(fires[0]), "2040-03-24 01:30:00");  // 02:30 CET
  EXPECT_EQ(schedule_test::utc_text(fires[1]), "2040-03-25 01:00:00");  // in the gap: 03:00 CEST
  EXPECT_EQ(schedule_test::utc_text(fires[2]), "2040-03-26 00:30:00");  // 02:30 CEST
}

}  // namespace
