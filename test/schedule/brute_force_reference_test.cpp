// next_after against a brute-force reference: random expressions, and every minute (or second)
// of a window checked one by one, straight from the date library's view of the zone. The
// reference states the DST rules in their plainest form:
// - every-hour expressions fire at each instant whose wall-clock reading matches;
// - others fire at each instant whose reading matches and is its first occurrence, and at the
//   end of a gap in which some reading matches.
#include "schedule_test_support.hpp"

#include <gtest/gtest.h>

#include <random>

using schedule_test::utc;
using workflow::detail::CronExpression;
using workflow::detail::ScheduleSpec;

namespace {

using std::chrono::seconds;
using Instant = std::chrono::sys_seconds;

/// A random field: `*`, a value, a range, steps of both, or a list of those.
class FieldGenerator {
 public:
  explicit FieldGenerator(std::mt19937& random) : random_(random) {}

  std::string field(int min, int max, int star_weight) {
    if (pick(0, 9) < star_weight) return "*";
    const int elements = pick(1, 3);
    std::string text;
    for (int i = 0; i < elements; ++i) text += (i ? "," : "") + element(min, max);
    return text;
  }

 private:
  int pick(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }

  std::string element(int min, int max) {
    const int first = pick(min, max);
    const int last = pick(first, max);
    const int step = pick(1, std::max(1, (max - min) / 3));
    switch (pick(0, 4)) {
      case 0: return std::to_string(first);
      case 1: return std::to_string(first) + "-" + std::to_string(last);
      case 2: return "*/" + std::to_string(step);
      case 3: return std::to_string(first) + "-" + std::to_string(last) + "/" + std::to_string(step);
      default: return std::to_string(first) + "/" + std::to_string(step);
    }
  }

  std::mt19937& random_;
};

/// An expression likely to fire inside a few days: day fields mostly `*`, hours often around the
/// hours that DST transitions touch.
std::string random_expression(std::mt19937& random, bool with_seconds) {
  FieldGenerator generate(random);
  std::string text;
  if (with_seconds) text += generate.field(0, 59, 3) + " ";
  text += generate.field(0, 59, 2) + " ";
  text += (std::uniform_int_distribution<int>(0, 2)(random) == 0 ? generate.field(0, 23, 4)
                                                                  : generate.field(0, 4, 2)) + " ";
  text += generate.field(1, 31, 7) + " " + generate.field(1, 12, 8) + " " + generate.field(0, 7, 7);
  return text;
}

std::chrono::local_seconds reading(Instant instant, seconds offset) {
  return std::chrono::local_seconds{(instant + offset).time_since_epoch()};
}

/// Every fire instant in [first, last], by trying each instant `step` apart.
std::vector<Instant> reference_fires(const CronExpression& cron, const date::time_zone* zone, Instant first,
                                     Instant last, seconds step) {
  std::vector<Instant> fires;
  for (Instant instant = first; instant <= last; instant += step) {
    const date::sys_info info = zone->get_info(instant);
    const std::chrono::local_seconds shown = reading(instant, info.offset);
    bool fires_here = false;
    if (cron.fires_every_hour()) {
      fires_here = cron.matches(shown);
    } else {
      const date::local_info local = zone->get_info(date::local_seconds{shown.time_since_epoch()});
      const bool second_occurrence = local.result == date::local_info::ambiguous && info.offset == local.second.offset;
      fires_here = cron.matches(shown) && !second_occurrence;
      if (info.begin == instant) {
        const seconds before = zone->get_info(instant - seconds(1)).offset;
        for (auto skipped = reading(instant, before); skipped < shown; skipped += step) {
          if (cron.matches(skipped)) fires_here = true;
        }
      }
    }
    if (fires_here) fires.push_back(instant);
  }
  return fires;
}

std::vector<Instant> computed_fires(const ScheduleSpec& spec, Instant first, Instant last) {
  std::vector<Instant> fires;
  for (auto next = spec.next_after(first - seconds(1)); next && *next <= last; next = spec.next_after(*next)) {
    fires.push_back(std::chrono::floor<seconds>(*next));
  }
  return fires;
}

struct Window {
  std::string_view zone;
  std::string_view first;
  std::string_view last;
};

void compare_random_expressions(std::uint32_t seed, int expressions, bool with_seconds, seconds step,
                                std::initializer_list<Window> windows) {
  std::mt19937 random(seed);
  std::size_t compared_fires = 0;
  for (int i = 0; i < expressions; ++i) {
    const std::string expression = random_expression(random, with_seconds);
    const CronExpression cron = CronExpression::parse(expression);
    for (const Window& window : windows) {
      const ScheduleSpec spec = ScheduleSpec::parse(expression, window.zone);
      const Instant first = std::chrono::floor<seconds>(utc(window.first));
      const Instant last = std::chrono::floor<seconds>(utc(window.last));
      const std::vector<Instant> expected = reference_fires(cron, date::locate_zone(window.zone), first, last, step);
      ASSERT_EQ(computed_fires(spec, first, last), expected)
          << "'" << expression << "' in " << window.zone << " from " << window.first << " to " << window.last;
      compared_fires += expected.size();
    }
  }
  // A generator drifting to expressions that never fire in the windows would compare nothing.
  EXPECT_GT(compared_fires, static_cast<std::size_t>(expressions) * windows.size() * 5);
}

TEST(BruteForceReference, MinutesInUtcOverTwoMonths) {
  compare_random_expressions(20240229, 12, false, std::chrono::minutes(1),
                             {{"UTC", "2024-01-15 00:00:00", "2024-03-15 00:00:00"}});
}

TEST(BruteForceReference, MinutesAroundTransitions) {
  compare_random_expressions(15, 60, false, std::chrono::minutes(1),
                             {{"Europe/Berlin", "2024-03-29 00:00:00", "2024-04-02 00:00:00"},
                              {"Europe/Berlin", "2024-10-25 00:00:00", "2024-10-29 00:00:00"},
                              {"America/New_York", "2024-03-09 00:00:00", "2024-03-12 00:00:00"},
                              {"America/New_York", "2024-11-02 00:00:00", "2024-11-05 00:00:00"},
                              {"Australia/Sydney", "2024-04-05 00:00:00", "2024-04-08 00:00:00"},
                              {"Australia/Sydney", "2024-10-04 00:00:00", "2024-10-07 00:00:00"}});
}

TEST(BruteForceReference, SecondsAroundBerlinTransitions) {
  compare_random_expressions(7, 15, true, seconds(1),
                             {{"Europe/Berlin", "2024-03-30 23:00:00", "2024-03-31 03:00:00"},
                              {"Europe/Berlin", "2024-10-26 23:00:00", "2024-10-27 03:00:00"}});
}

TEST(BruteForceReference, TheReferenceSeesTheRules) {
  // Guards the reference itself: it must show the gap move and the single first occurrence.
  const CronExpression cron = CronExpression::parse("30 2 * * *");
  const auto fires = reference_fires(cron, date::locate_zone("Europe/Berlin"),
                                     std::chrono::floor<seconds>(utc("2024-03-30 00:00:00")),
                                     std::chrono::floor<seconds>(utc("2024-03-31 12:00:00")), std::chrono::minutes(1));
  ASSERT_EQ(fires.size(), 2u);
  EXPECT_EQ(schedule_test::zoned_text(fires[1], "Europe/Berlin"), "2024-03-31 03:00:00 +0200");
}

}  // namespace
