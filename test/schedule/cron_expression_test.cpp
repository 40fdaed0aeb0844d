// Cron syntax (cron_expression.hpp): each element of each field, names, 5 against 6 fields,
// macros, the day-of-month/day-of-week OR rule, and the message of every error.
#include "schedule_test_support.hpp"

#include <gtest/gtest.h>

using schedule_test::local;
using workflow::detail::CronExpression;

namespace {

/// The values of one field that `expression` matches, found by trying each candidate time.
std::vector<int> matched(std::string_view expression, std::string_view first_time, std::chrono::seconds step,
                         int candidates, int first_value = 0) {
  const CronExpression cron = CronExpression::parse(expression);
  std::vector<int> values;
  for (int i = 0; i < candidates; ++i) {
    if (cron.matches(local(first_time) + step * i)) values.push_back(first_value + i);
  }
  return values;
}

std::vector<int> seconds_of(std::string_view field) {
  return matched(std::string(field) + " * * * * *", "2024-01-01 00:00:00", std::chrono::seconds(1), 60);
}
std::vector<int> minutes_of(std::string_view field) {
  return matched(std::string(field) + " * * * *", "2024-01-01 00:00:00", std::chrono::minutes(1), 60);
}
std::vector<int> hours_of(std::string_view field) {
  return matched("0 " + std::string(field) + " * * *", "2024-01-01 00:00:00", std::chrono::hours(1), 24);
}
/// Days of January 2024 (the 1st is a Monday).
std::vector<int> january_days_of(std::string_view day_of_month, std::string_view day_of_week = "*") {
  return matched("0 0 " + std::string(day_of_month) + " * " + std::string(day_of_week), "2024-01-01 00:00:00",
                 std::chrono::days(1), 31, 1);
}
/// Weekdays, 0 = Sunday: 2024-01-07 is a Sunday.
std::vector<int> weekdays_of(std::string_view field) {
  return matched("0 0 * * " + std::string(field), "2024-01-07 00:00:00", std::chrono::days(1), 7);
}
/// Months of 2024, on their first day.
std::vector<int> months_of(std::string_view field) {
  const CronExpression cron = CronExpression::parse("0 0 1 " + std::string(field) + " *");
  std::vector<int> months;
  for (int month = 1; month <= 12; ++month) {
    const auto first_day = std::chrono::local_days{std::chrono::year{2024} / month / 1};
    if (cron.matches(std::chrono::local_seconds{first_day})) months.push_back(month);
  }
  return months;
}

using V = std::vector<int>;

TEST(CronSyntax, StarMatchesEveryValue) {
  EXPECT_EQ(minutes_of("*").size(), 60u);
  EXPECT_EQ(hours_of("*").size(), 24u);
  EXPECT_EQ(january_days_of("*").size(), 31u);
  EXPECT_EQ(months_of("*").size(), 12u);
  EXPECT_EQ(weekdays_of("*"), (V{0, 1, 2, 3, 4, 5, 6}));
}

TEST(CronSyntax, Numbers) {
  EXPECT_EQ(minutes_of("0"), V{0});
  EXPECT_EQ(minutes_of("59"), V{59});
  EXPECT_EQ(minutes_of("07"), V{7});  // leading zeros
  EXPECT_EQ(hours_of("23"), V{23});
  EXPECT_EQ(january_days_of("31"), V{31});
  EXPECT_EQ(months_of("12"), V{12});
}

TEST(CronSyntax, Ranges) {
  EXPECT_EQ(minutes_of("10-13"), (V{10, 11, 12, 13}));
  EXPECT_EQ(hours_of("22-23"), (V{22, 23}));
  EXPECT_EQ(minutes_of("5-5"), V{5});
  EXPECT_EQ(january_days_of("29-31"), (V{29, 30, 31}));
}

TEST(CronSyntax, Steps) {
  EXPECT_EQ(minutes_of("*/15"), (V{0, 15, 30, 45}));
  EXPECT_EQ(minutes_of("10-30/10"), (V{10, 20, 30}));
  EXPECT_EQ(minutes_of("10-31/10"), (V{10, 20, 30}));
  EXPECT_EQ(minutes_of("50/4"), (V{50, 54, 58}));  // a/n: from a to the end of the field
  EXPECT_EQ(hours_of("*/7"), (V{0, 7, 14, 21}));
  EXPECT_EQ(january_days_of("*/10"), (V{1, 11, 21, 31}));  // days start at 1
  EXPECT_EQ(months_of("*/4"), (V{1, 5, 9}));
  EXPECT_EQ(minutes_of("*/60"), V{0});
  EXPECT_EQ(minutes_of("*/1").size(), 60u);
}

TEST(CronSyntax, Lists) {
  EXPECT_EQ(minutes_of("1,2,30"), (V{1, 2, 30}));
  EXPECT_EQ(minutes_of("30,1"), (V{1, 30}));
  EXPECT_EQ(minutes_of("0-2,10-20/5,59"), (V{0, 1, 2, 10, 15, 20, 59}));
  EXPECT_EQ(minutes_of("5,5"), V{5});
}

TEST(CronSyntax, SixFieldsPutSecondsFirst) {
  EXPECT_EQ(seconds_of("*/20"), (V{0, 20, 40}));
  EXPECT_EQ(seconds_of("59"), V{59});
  // Five fields fire at second 0 only.
  EXPECT_EQ(matched("* * * * *", "2024-01-01 00:00:00", std::chrono::seconds(1), 60), V{0});
  const CronExpression six = CronExpression::parse("30 15 10 * * *");
  EXPECT_TRUE(six.matches(local("2024-05-06 10:15:30")));
  EXPECT_FALSE(six.matches(local("2024-05-06 10:15:00")));
}

TEST(CronSyntax, MonthNamesInAnyCase) {
  EXPECT_EQ(months_of("JAN"), V{1});
  EXPECT_EQ(months_of("dec"), V{12});
  EXPECT_EQ(months_of("Mar-May"), (V{3, 4, 5}));
  EXPECT_EQ(months_of("jan,JUL,Dec"), (V{1, 7, 12}));
  EXPECT_EQ(months_of("FEB-DEC/3"), (V{2, 5, 8, 11}));
  EXPECT_EQ(months_of("1-FEB"), (V{1, 2}));
}

TEST(CronSyntax, DayNamesAndBothSundays) {
  EXPECT_EQ(weekdays_of("SUN"), V{0});
  EXPECT_EQ(weekdays_of("0"), V{0});
  EXPECT_EQ(weekdays_of("7"), V{0});
  EXPECT_EQ(weekdays_of("mon-fri"), (V{1, 2, 3, 4, 5}));
  EXPECT_EQ(weekdays_of("Fri-7"), (V{0, 5, 6}));
  EXPECT_EQ(weekdays_of("5-7"), (V{0, 5, 6}));
  EXPECT_EQ(weekdays_of("0-7"), (V{0, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(weekdays_of("SAT,sun"), (V{0, 6}));
  EXPECT_EQ(weekdays_of("*/2"), (V{0, 2, 4, 6}));
  EXPECT_EQ(weekdays_of("1/2"), (V{1, 3, 5}));
}

TEST(CronSyntax, BothDayFieldsRestrictedMatchEither) {
  // Vixie cron: the 13th OR any Friday (January 2024: Fridays 5, 12, 19, 26).
  EXPECT_EQ(january_days_of("13", "FRI"), (V{5, 12, 13, 19, 26}));
  EXPECT_EQ(january_days_of("1,31", "SUN"), (V{1, 7, 14, 21, 28, 31}));
}

TEST(CronSyntax, OneDayFieldStarredMatchesTheOther) {
  EXPECT_EQ(january_days_of("*", "FRI"), (V{5, 12, 19, 26}));
  EXPECT_EQ(january_days_of("13", "*"), V{13});
  // As in Vixie cron, a field written with a leading `*` counts as unrestricted, so `*/2`
  // and a weekday must both match: odd days that are Fridays.
  EXPECT_EQ(january_days_of("*/2", "FRI"), (V{5, 19}));
  EXPECT_EQ(january_days_of("13", "*/7"), V{});  // the 13th is a Saturday, */7 only Sunday
}

TEST(CronSyntax, Macros) {
  const std::pair<std::string_view, std::string_view> equivalents[] = {
      {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"}, {"@weekly", "0 0 * * 0"},
      {"@daily", "0 0 * * *"},  {"@midnight", "0 0 * * *"}, {"@hourly", "0 * * * *"}, {"@DAILY", "0 0 * * *"},
  };
  for (auto [macro, expansion] : equivalents) {
    const CronExpression from_macro = CronExpression::parse(macro);
    const CronExpression expanded = CronExpression::parse(expansion);
    // Compared over ten days of minutes and a few seconds of each: equal sets of times.
    for (int minute = 0; minute < 10 * 24 * 60; ++minute) {
      const auto time = local("2023-12-28 00:00:00") + std::chrono::minutes(minute);
      ASSERT_EQ(from_macro.matches(time), expanded.matches(time)) << macro << " at minute " << minute;
      ASSERT_FALSE(from_macro.matches(time + std::chrono::seconds(1))) << macro;
    }
    EXPECT_EQ(from_macro.text(), macro);
  }
}

TEST(CronSyntax, BlanksBetweenAndAroundFieldsAreOneSeparator) {
  const CronExpression cron = CronExpression::parse("  5 \t 4   * * *  ");
  EXPECT_EQ(cron.text(), "5 4 * * *");
  EXPECT_TRUE(cron.matches(local("2024-01-01 04:05:00")));
}

TEST(CronSyntax, EveryHourIsAPropertyOfTheHourSet) {
  EXPECT_TRUE(CronExpression::parse("*/15 * * * *").fires_every_hour());
  EXPECT_TRUE(CronExpression::parse("0 0-23 * * *").fires_every_hour());
  EXPECT_TRUE(CronExpression::parse("@hourly").fires_every_hour());
  EXPECT_FALSE(CronExpression::parse("0 */2 * * *").fires_every_hour());
  EXPECT_FALSE(CronExpression::parse("30 2 * * *").fires_every_hour());
  EXPECT_FALSE(CronExpression::parse("0 0-22 * * *").fires_every_hour());
}

TEST(CronSyntax, ImpossibleDatesParseButNeverFire) {
  for (std::string_view impossible : {"0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 31 FEB *", "0 0 30-31 2 *"}) {
    const CronExpression cron = CronExpression::parse(impossible);
    EXPECT_FALSE(cron.can_ever_fire()) << impossible;
    EXPECT_EQ(cron.next_match(local("2024-01-01 00:00:00"), local("2262-01-01 00:00:00")), std::nullopt);
  }
  EXPECT_TRUE(CronExpression::parse("0 0 29 2 *").can_ever_fire());
  EXPECT_TRUE(CronExpression::parse("0 0 30 2 MON").can_ever_fire());  // or any Monday in February
  EXPECT_TRUE(CronExpression::parse("0 0 30,31 2,3 *").can_ever_fire());
  EXPECT_TRUE(CronExpression::parse("0 0 */30 2 SUN").can_ever_fire());  // February 1 on a Sunday
}

// Every error: the message quotes the expression, names the field and the problem.
TEST(CronErrors, EachMessage) {
  using schedule_test::spec_error;
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"61 * * * *", "cron expression '61 * * * *': minute field: 61 is outside 0-59"},
      {"0 24 * * *", "cron expression '0 24 * * *': hour field: 24 is outside 0-23"},
      {"0 0 0 * *", "cron expression '0 0 0 * *': day-of-month field: 0 is outside 1-31"},
      {"0 0 32 * *", "cron expression '0 0 32 * *': day-of-month field: 32 is outside 1-31"},
      {"0 0 * 13 *", "cron expression '0 0 * 13 *': month field: 13 is outside 1-12"},
      {"0 0 * 0 *", "cron expression '0 0 * 0 *': month field: 0 is outside 1-12"},
      {"0 0 * * 8", "cron expression '0 0 * * 8': day-of-week field: 8 is outside 0-7"},
      {"60 * * * * *", "cron expression '60 * * * * *': second field: 60 is outside 0-59"},
      {"99999999999 * * * *", "cron expression '99999999999 * * * *': minute field: 99999999999 is outside 0-59"},
      {"", "cron expression '': it is empty"},
      {"   ", "cron expression '': it is empty"},
      {"* * *",
       "cron expression '* * *': 3 fields, expected 5 (minute hour day-of-month month day-of-week) or 6 (second "
       "first)"},
      {"*",
       "cron expression '*': 1 field, expected 5 (minute hour day-of-month month day-of-week) or 6 (second first)"},
      {"* * * * * * *",
       "cron expression '* * * * * * *': 7 fields, expected 5 (minute hour day-of-month month day-of-week) or 6 "
       "(second first)"},
      {"@fortnightly",
       "cron expression '@fortnightly': unknown macro @fortnightly (known: @yearly, @annually, @monthly, @weekly, "
       "@daily, @midnight, @hourly)"},
      {"@daily 5", "cron expression '@daily 5': @daily takes nothing after it"},
      {"5-1 * * * *", "cron expression '5-1 * * * *': minute field: range 5-1 runs backwards (5 is after 1)"},
      {"0 0 * * FRI-MON",
       "cron expression '0 0 * * FRI-MON': day-of-week field: range FRI-MON runs backwards (5 is after 1)"},
      {"*/0 * * * *", "cron expression '*/0 * * * *': minute field: step 0 in '*/0' must be at least 1"},
      {"*/61 * * * *", "cron expression '*/61 * * * *': minute field: step 61 is larger than the field's range 0-59"},
      {"0 */25 * * *", "cron expression '0 */25 * * *': hour field: step 25 is larger than the field's range 0-23"},
      {"*/ * * * *", "cron expression '*/ * * * *': minute field: '*/' has no step after the '/'"},
      {"*/x * * * *", "cron expression '*/x * * * *': minute field: step 'x' is not a number"},
      {"/5 * * * *", "cron expression '/5 * * * *': minute field: '/5' has nothing before the '/'"},
      {"*/5/2 * * * *", "cron expression '*/5/2 * * * *': minute field: '*/5/2' has more than one '/'"},
      {"1,,2 * * * *", "cron expression '1,,2 * * * *': minute field: empty list element in '1,,2'"},
      {"1, * * * *", "cron expression '1, * * * *': minute field: empty list element in '1,'"},
      {"1-2-3 * * * *", "cron expression '1-2-3 * * * *': minute field: '1-2-3' is not a value or a range a-b"},
      {"1- * * * *", "cron expression '1- * * * *': minute field: '1-' is not a value or a range a-b"},
      {"-1 * * * *", "cron expression '-1 * * * *': minute field: '-1' is not a value or a range a-b"},
      {"abc * * * *", "cron expression 'abc * * * *': minute field: 'abc' is not a number"},
      {"0 0 * JANUARY *",
       "cron expression '0 0 * JANUARY *': month field: 'JANUARY' is not a number or a month name (JAN-DEC)"},
      {"0 0 * * MONDAY",
       "cron expression '0 0 * * MONDAY': day-of-week field: 'MONDAY' is not a number or a day name (SUN-SAT)"},
      // Names belong to their own field.
      {"0 0 * MON *", "cron expression '0 0 * MON *': month field: 'MON' is not a number or a month name (JAN-DEC)"},
      {"0 0 * * JAN",
       "cron expression '0 0 * * JAN': day-of-week field: 'JAN' is not a number or a day name (SUN-SAT)"},
      {"0 0 JAN * *", "cron expression '0 0 JAN * *': day-of-month field: 'JAN' is not a number"},
      // The Quartz extensions: rejected, and said so.
      {"0 0 L * *",
       "cron expression '0 0 L * *': day-of-month field: 'L' uses an extension that is not supported (L, W, # and ? "
       "are not; list the days instead)"},
      {"0 0 15W * *",
       "cron expression '0 0 15W * *': day-of-month field: '15W' uses an extension that is not supported (L, W, # "
       "and ? are not; list the days instead)"},
      {"0 0 LW * *",
       "cron expression '0 0 LW * *': day-of-month field: 'LW' uses an extension that is not supported (L, W, # and "
       "? are not; list the days instead)"},
      {"0 0 * * 5L",
       "cron expression '0 0 * * 5L': day-of-week field: '5L' uses an extension that is not supported (L, W, # and ? "
       "are not; list the days instead)"},
      {"0 0 * * 1#2",
       "cron expression '0 0 * * 1#2': day-of-week field: '1#2' uses an extension that is not supported (L, W, # and "
       "? are not; list the days instead)"},
      {"0 0 ? * MON",
       "cron expression '0 0 ? * MON': day-of-month field: '?' uses an extension that is not supported (L, W, # and ? "
       "are not; list the days instead)"},
  };
  for (auto [expression, message] : cases) {
    EXPECT_EQ(spec_error(expression), message) << "for '" << expression << "'";
  }
}

TEST(CronErrors, AreScheduleSpecErrorsAndConfigurationErrors) {
  EXPECT_THROW(CronExpression::parse("61 * * * *"), workflow::ScheduleSpecError);
  EXPECT_THROW(CronExpression::parse("61 * * * *"), workflow::ConfigurationError);
  EXPECT_THROW(CronExpression::parse("61 * * * *"), workflow::Error);
}

}  // namespace
