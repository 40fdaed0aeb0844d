// After the last transition a TZif file lists (2037 in Debian's tzdata), zones change their
// clocks by the file's POSIX TZ rule (schedule/posix_tz_rule.hpp). The rule's parser on the
// footers of real zones and on malformed ones, and fire times in later years. Expectations are in
// UTC, worked out by hand from each zone's rule: date/tz, the other tests' second opinion, keeps
// the last listed offset after 2037.
#include "schedule/posix_tz_rule.hpp"
#include "schedule_test_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

using schedule_test::utc;
using schedule_test::utc_fires;
using schedule_test::utc_text;
using workflow::detail::PosixTzRule;
using S = std::vector<std::string>;

namespace {

// Each change as "UTC instant offset-in-minutes".
S changes(const PosixTzRule& rule, int year) {
  S texts;
  for (const auto& change : rule.changes(year, year))
    texts.push_back(utc_text(change.at) + " " +
                    std::to_string(std::chrono::duration_cast<std::chrono::minutes>(change.offset).count()));
  return texts;
}

TEST(PosixTzRule, ReadsTheFootersOfRealZones) {
  auto berlin = PosixTzRule::read_tzif_footer("/usr/share/zoneinfo/Europe/Berlin");
  ASSERT_TRUE(berlin);
  EXPECT_EQ(changes(*berlin, 2040), (S{"2040-03-25 01:00:00 120", "2040-10-28 01:00:00 60"}));
  auto new_york = PosixTzRule::read_tzif_footer("/usr/share/zoneinfo/America/New_York");
  ASSERT_TRUE(new_york);
  EXPECT_EQ(changes(*new_york, 2050), (S{"2050-03-13 07:00:00 -240", "2050-11-06 06:00:00 -300"}));
  // Southern hemisphere: daylight time ends in April and starts in October.
  auto sydney = PosixTzRule::read_tzif_footer("/usr/share/zoneinfo/Australia/Sydney");
  ASSERT_TRUE(sydney);
  EXPECT_EQ(changes(*sydney, 2045), (S{"2045-04-01 16:00:00 600", "2045-09-30 16:00:00 660"}));
  // Quoted names and a half-hour change.
  auto lord_howe = PosixTzRule::read_tzif_footer("/usr/share/zoneinfo/Australia/Lord_Howe");
  ASSERT_TRUE(lord_howe);
  EXPECT_EQ(changes(*lord_howe, 2045), (S{"2045-04-01 15:00:00 630", "2045-09-30 15:30:00 660"}));
}

TEST(PosixTzRule, ZonesWithoutDaylightTimeHaveNoRuleToApply) {
  EXPECT_FALSE(PosixTzRule::read_tzif_footer("/usr/share/zoneinfo/Asia/Tokyo"));
  EXPECT_FALSE(PosixTzRule::read_tzif_footer("/usr/share/zoneinfo/UTC"));
  EXPECT_FALSE(PosixTzRule::read_tzif_footer("/usr/share/zoneinfo/No/Such_Zone"));
  EXPECT_FALSE(PosixTzRule::parse("JST-9"));
}

TEST(PosixTzRule, ReadsEveryDateForm) {
  // Julian day n (1-365) never counts February 29: J60 is 1 March in leap years too.
  auto julian = PosixTzRule::parse("AAA0BBB,J60/0,J300/0");
  ASSERT_TRUE(julian);
  EXPECT_EQ(changes(*julian, 2040), (S{"2040-03-01 00:00:00 60", "2040-10-26 23:00:00 0"}));
  // Zero-based day n (0-365) counts it: 59 is 29 February in a leap year.
  auto zero_based = PosixTzRule::parse("AAA0BBB,59/0,299/0");
  ASSERT_TRUE(zero_based);
  EXPECT_EQ(changes(*zero_based, 2040), (S{"2040-02-29 00:00:00 60", "2040-10-25 23:00:00 0"}));
  // Negative and large transition times (RFC 8536), a daylight offset that is not one hour, and
  // America/Nuuk (-02, -01 in summer, changing at -1:00 and 0:00 local).
  auto nuuk = PosixTzRule::parse("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
  ASSERT_TRUE(nuuk);
  EXPECT_EQ(changes(*nuuk, 2040), (S{"2040-03-25 01:00:00 -60", "2040-10-28 01:00:00 -120"}));
  auto late = PosixTzRule::parse("XXX-2YYY-2:30,M3.1.0/26,M10.1.0/167");
  ASSERT_TRUE(late);
  EXPECT_EQ(changes(*late, 2040), (S{"2040-03-05 00:00:00 150", "2040-10-13 20:30:00 120"}));
}

TEST(PosixTzRule, RejectsMalformedRules) {
  for (const char* text : {"", "CET", "CET-1CEST", "CET-1CEST,M3.5.0", "CET-1CEST,M13.5.0,M10.5.0",
                           "CET-1CEST,M3.6.0,M10.5.0", "CET-1CEST,M3.5.7,M10.5.0", "CET-1CEST,J0,J300",
                           "CET-1CEST,J366,J300", "CET-1CEST,366,300", "CET-1CEST,M3.5.0/168,M10.5.0",
                           "CET-1CEST,M3.5.0,M10.5.0 extra", "CE-1CEST,M3.5.0,M10.5.0", "<+1-1CEST,M3.5.0,M10.5.0",
                           "CET-1:60CEST,M3.5.0,M10.5.0"})
    EXPECT_FALSE(PosixTzRule::parse(text)) << text;
}

TEST(DstAfter2037, BerlinKeepsChangingItsClocks) {
  // 2038 is the first year the file leaves to its rule: its last transition is October 2037.
  EXPECT_EQ(utc_fires("0 12 * * *", "Europe/Berlin", "2038-03-27 00:00:00", 2),
            (S{"2038-03-27 11:00:00", "2038-03-28 10:00:00"}));
  EXPECT_EQ(utc_fires("0 12 * * *", "Europe/Berlin", "2040-10-27 00:00:00", 2),
            (S{"2040-10-27 10:00:00", "2040-10-28 11:00:00"}));
  // 02:30 does not exist on 25 March 2040: it fires at the end of the gap, 03:00 CEST.
  EXPECT_EQ(utc_fires("30 2 * * *", "Europe/Berlin", "2040-03-24 00:00:00", 3),
            (S{"2040-03-24 01:30:00", "2040-03-25 01:00:00", "2040-03-26 00:30:00"}));
  // Hourly: the missing hour is skipped in real time.
  EXPECT_EQ(utc_fires("0 * * * *", "Europe/Berlin", "2040-03-24 23:30:00", 3),
            (S{"2040-03-25 00:00:00", "2040-03-25 01:00:00", "2040-03-25 02:00:00"}));
}

TEST(DstAfter2037, NewYorkSydneyAndLordHowe) {
  EXPECT_EQ(utc_fires("0 12 * * *", "America/New_York", "2050-03-12 00:00:00", 2),
            (S{"2050-03-12 17:00:00", "2050-03-13 16:00:00"}));
  EXPECT_EQ(utc_fires("0 12 * * *", "America/New_York", "2050-11-05 00:00:00", 2),
            (S{"2050-11-05 16:00:00", "2050-11-06 17:00:00"}));
  EXPECT_EQ(utc_fires("0 12 * * *", "Australia/Sydney", "2045-03-31 12:00:00", 2),
            (S{"2045-04-01 01:00:00", "2045-04-02 02:00:00"}));
  EXPECT_EQ(utc_fires("0 12 * * *", "Australia/Sydney", "2045-09-29 12:00:00", 2),
            (S{"2045-09-30 02:00:00", "2045-10-01 01:00:00"}));
  EXPECT_EQ(utc_fires("0 12 * * *", "Australia/Lord_Howe", "2045-03-31 12:00:00", 2),
            (S{"2045-04-01 01:00:00", "2045-04-02 01:30:00"}));
}

TEST(DstAfter2037, ZonesWithoutDaylightTimeAreUnchanged) {
  EXPECT_EQ(utc_fires("0 12 * * *", "Asia/Tokyo", "2050-03-12 00:00:00", 2),
            (S{"2050-03-12 03:00:00", "2050-03-13 03:00:00"}));
}

}  // namespace
