// Parsing cron expressions into sets of values, and finding the next matching wall-clock time.
#include "schedule/cron_expression.hpp"

#include <workflow/errors.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <vector>

namespace workflow::detail {
namespace {

using std::chrono::days;
using std::chrono::local_days;
using std::chrono::local_seconds;
using std::chrono::seconds;

constexpr std::array<std::string_view, 12> kMonthNames = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<std::string_view, 7> kDayNames = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

/// One field's name in messages, its range, and the names it accepts (value of the first name).
struct FieldSyntax {
  std::string_view name;
  int min;
  int max;
  const std::string_view* names = nullptr;
  int name_count = 0;
  int first_named_value = 0;
  std::string_view names_hint = "";
};

constexpr FieldSyntax kSecond{"second", 0, 59};
constexpr FieldSyntax kMinute{"minute", 0, 59};
constexpr FieldSyntax kHour{"hour", 0, 23};
constexpr FieldSyntax kDayOfMonth{"day-of-month", 1, 31};
constexpr FieldSyntax kMonth{"month", 1, 12, kMonthNames.data(), 12, 1, " or a month name (JAN-DEC)"};
// 7 is Sunday as well as 0 (folded after parsing), so that ranges such as FRI-7 read naturally.
constexpr FieldSyntax kDayOfWeek{"day-of-week", 0, 7, kDayNames.data(), 7, 0, " or a day name (SUN-SAT)"};

/// The macros, as the 6-field expressions they stand for.
struct Macro {
  std::string_view name;
  std::string_view expansion;
};
constexpr std::array<Macro, 7> kMacros = {{{"@yearly", "0 0 0 1 1 *"},
                                           {"@annually", "0 0 0 1 1 *"},
                                           {"@monthly", "0 0 0 1 * *"},
                                           {"@weekly", "0 0 0 * * 0"},
                                           {"@daily", "0 0 0 * * *"},
                                           {"@midnight", "0 0 0 * * *"},
                                           {"@hourly", "0 0 * * * *"}}};

std::string upper(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return result;
}

std::string lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::vector<std::string_view> split_on_blanks(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

/// Parses one field into a set of values, reporting problems in the words of `field`.
class FieldParser {
 public:
  FieldParser(const std::string& expression, const FieldSyntax& field) : expression_(expression), field_(field) {}

  /// Bit v set when value v matches; values are field_.min..field_.max.
  std::uint64_t parse(std::string_view text) {
    std::uint64_t values = 0;
    for (std::string_view element : split(text, ',')) {
      if (element.empty()) fail("empty list element in '" + std::string(text) + "'");
      values |= parse_element(element);
    }
    return values;
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw ScheduleSpecError("cron expression '" + expression_ + "': " + std::string(field_.name) + " field: " + problem);
  }

  std::uint64_t parse_element(std::string_view element) {
    if (element.find_first_of("#?") != std::string_view::npos) reject_extension(element);
    std::vector<std::string_view> step_parts = split(element, '/');
    if (step_parts.size() > 2) fail("'" + std::string(element) + "' has more than one '/'");
    std::string_view range = step_parts[0];
    int step = 1;
    if (step_parts.size() == 2) step = parse_step(element, step_parts[1]);

    int first = field_.min;
    int last = field_.max;
    // An open end (`*`, `a/n`) of day-of-week stops at 6, so that `*/2` is SUN,TUE,THU,SAT and
    // `1/2` is MON,WED,FRI, not Sunday again through 7.
    const bool open_day_of_week = &field_ == &kDayOfWeek;
    if (range == "*") {
      if (open_day_of_week) last = 6;
    } else if (range.empty()) {
      fail("'" + std::string(element) + "' has nothing before the '/'");
    } else {
      std::vector<std::string_view> bounds = split(range, '-');
      if (bounds.size() > 2 || bounds[0].empty() || (bounds.size() == 2 && bounds[1].empty())) {
        fail("'" + std::string(range) + "' is not a value or a range a-b");
      }
      first = parse_value(bounds[0]);
      if (bounds.size() == 2) {
        last = parse_value(bounds[1]);
        if (last < first) {
          fail("range " + std::string(range) + " runs backwards (" + std::to_string(first) + " is after " +
               std::to_string(last) + ")");
        }
      } else if (step_parts.size() == 1) {
        last = first;  // a single value
      } else if (open_day_of_week) {
        last = std::max(first, 6);  // `a/n`: from a to the end of the field (`7/n` is Sunday)
      }
    }
    std::uint64_t values = 0;
    for (int value = first; value <= last; value += step) values |= std::uint64_t{1} << value;
    return values;
  }

  int parse_step(std::string_view element, std::string_view step_text) {
    if (step_text.empty()) fail("'" + std::string(element) + "' has no step after the '/'");
    if (!all_digits(step_text)) fail("step '" + std::string(step_text) + "' is not a number");
    const int width = field_.max - field_.min + 1;
    const int step = step_text.size() > 3 ? width + 1 : std::stoi(std::string(step_text));
    if (step == 0) fail("step 0 in '" + std::string(element) + "' must be at least 1");
    if (step > width) {
      fail("step " + std::string(step_text) + " is larger than the field's range " + std::to_string(field_.min) +
           "-" + std::to_string(field_.max));
    }
    return step;
  }

  int parse_value(std::string_view text) {
    const std::string range = std::to_string(field_.min) + "-" + std::to_string(field_.max);
    if (all_digits(text)) {
      // More than 3 digits is out of every field's range, and stoi would overflow on long input.
      const int value = text.size() > 3 ? field_.max + 1 : std::stoi(std::string(text));
      if (value < field_.min || value > field_.max) fail(std::string(text) + " is outside " + range);
      return value;
    }
    const std::string name = upper(text);
    for (int i = 0; i < field_.name_count; ++i) {
      if (field_.names[i] == name) return field_.first_named_value + i;
    }
    if (looks_like_extension(name)) reject_extension(text);
    fail("'" + std::string(text) + "' is not a number" + std::string(field_.names_hint));
  }

  /// L (last), W (weekday nearest), # (nth weekday) and ? (no value) of Quartz-style crons.
  static bool looks_like_extension(const std::string& upper_text) {
    if (upper_text == "L" || upper_text == "LW") return true;
    const char suffix = upper_text.back();
    return (suffix == 'L' || suffix == 'W') && all_digits(std::string_view(upper_text).substr(0, upper_text.size() - 1));
  }

  [[noreturn]] void reject_extension(std::string_view text) const {
    fail("'" + std::string(text) +
         "' uses an extension that is not supported (L, W, # and ? are not; list the days instead)");
  }

  const std::string& expression_;
  const FieldSyntax& field_;
};

template <std::size_t N>
std::bitset<N> to_bitset(std::uint64_t values) {
  return std::bitset<N>(values);
}

/// The lowest set bit at or after `from`, or -1.
template <std::size_t N>
int next_set(const std::bitset<N>& bits, int from) {
  for (int i = from; i < static_cast<int>(N); ++i) {
    if (bits[i]) return i;
  }
  return -1;
}

}  // namespace

CronExpression CronExpression::parse(std::string_view text) {
  CronExpression cron;
  std::vector<std::string_view> words = split_on_blanks(text);
  cron.text_.clear();
  for (std::string_view word : words) cron.text_ += (cron.text_.empty() ? "" : " ") + std::string(word);
  const std::string& expression = cron.text_;
  if (words.empty()) throw ScheduleSpecError("cron expression '': it is empty");

  std::string expansion;
  if (words[0].front() == '@') {
    const std::string macro = lower(words[0]);
    auto found = std::find_if(kMacros.begin(), kMacros.end(), [&](const Macro& m) { return m.name == macro; });
    if (found == kMacros.end()) {
      throw ScheduleSpecError("cron expression '" + expression + "': unknown macro " + std::string(words[0]) +
                              " (known: @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly)");
    }
    if (words.size() > 1) {
      throw ScheduleSpecError("cron expression '" + expression + "': " + std::string(words[0]) +
                              " takes nothing after it");
    }
    expansion = std::string(found->expansion);
    words = split_on_blanks(expansion);
  } else if (words.size() == 5) {
    words.insert(words.begin(), "0");  // 5 fields: at second 0
  } else if (words.size() != 6) {
    throw ScheduleSpecError("cron expression '" + expression + "': " + std::to_string(words.size()) +
                            (words.size() == 1 ? " field" : " fields") +
                            ", expected 5 (minute hour day-of-month month day-of-week) or 6 (second first)");
  }

  cron.seconds_ = to_bitset<60>(FieldParser(expression, kSecond).parse(words[0]));
  cron.minutes_ = to_bitset<60>(FieldParser(expression, kMinute).parse(words[1]));
  cron.hours_ = to_bitset<24>(FieldParser(expression, kHour).parse(words[2]));
  cron.days_of_month_ = to_bitset<32>(FieldParser(expression, kDayOfMonth).parse(words[3]));
  cron.months_ = to_bitset<13>(FieldParser(expression, kMonth).parse(words[4]));
  std::uint64_t days_of_week = FieldParser(expression, kDayOfWeek).parse(words[5]);
  if (days_of_week & (std::uint64_t{1} << 7)) days_of_week |= 1;  // 7 is Sunday too
  cron.days_of_week_ = to_bitset<7>(days_of_week & 0x7f);
  cron.day_of_month_starred_ = words[3].front() == '*';
  cron.day_of_week_starred_ = words[5].front() == '*';
  cron.can_ever_fire_ = cron.compute_can_ever_fire();
  return cron;
}

bool CronExpression::compute_can_ever_fire() const {
  // Restricting both day fields joins them by OR, and every month has every weekday.
  if (!day_of_month_starred_ && !day_of_week_starred_) return true;
  // Otherwise a day must be in the day-of-month set and exist in some chosen month (February 29
  // exists in leap years). Every date falls on each weekday in some year, so the day-of-week set
  // cannot make a possible date impossible.
  constexpr std::array<int, 13> kLongestMonth = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  for (int month = 1; month <= 12; ++month) {
    if (!months_[month]) continue;
    for (int day = 1; day <= kLongestMonth[month]; ++day) {
      if (days_of_month_[day]) return true;
    }
  }
  return false;
}

bool CronExpression::day_matches(std::chrono::year_month_day date, std::chrono::weekday weekday) const {
  const bool day_of_month = days_of_month_[static_cast<unsigned>(date.day())];
  const bool day_of_week = days_of_week_[weekday.c_encoding()];
  if (day_of_month_starred_ || day_of_week_starred_) return day_of_month && day_of_week;
  return day_of_month || day_of_week;
}

bool CronExpression::matches(local_seconds time) const {
  const local_days day = std::chrono::floor<days>(time);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss clock{time - day};
  return months_[static_cast<unsigned>(date.month())] && day_matches(date, std::chrono::weekday{day}) &&
         hours_[clock.hours().count()] && minutes_[clock.minutes().count()] && seconds_[clock.seconds().count()];
}

std::optional<seconds> CronExpression::first_time_of_day_from(seconds from) const {
  const std::chrono::hh_mm_ss start{from};
  const int start_hour = static_cast<int>(start.hours().count());
  const int start_minute = static_cast<int>(start.minutes().count());
  const int start_second = static_cast<int>(start.seconds().count());
  for (int hour = next_set(hours_, start_hour); hour >= 0; hour = next_set(hours_, hour + 1)) {
    const bool same_hour = hour == start_hour;
    for (int minute = next_set(minutes_, same_hour ? start_minute : 0); minute >= 0;
         minute = next_set(minutes_, minute + 1)) {
      const bool same_minute = same_hour && minute == start_minute;
      const int second = next_set(seconds_, same_minute ? start_second : 0);
      if (second >= 0) return std::chrono::hours(hour) + std::chrono::minutes(minute) + seconds(second);
    }
  }
  return std::nullopt;
}

std::optional<local_seconds> CronExpression::next_match(local_seconds from, local_seconds last) const {
  if (!can_ever_fire_) return std::nullopt;
  local_days day = std::chrono::floor<days>(from);
  seconds time_of_day = from - day;
  while (day <= last) {
    const std::chrono::year_month_day date{day};
    if (!months_[static_cast<unsigned>(date.month())]) {
      day = local_days{(date.year() / date.month() + std::chrono::months(1)) / 1};
      time_of_day = seconds(0);
      continue;
    }
    if (day_matches(date, std::chrono::weekday{day})) {
      if (std::optional<seconds> time = first_time_of_day_from(time_of_day)) {
        const local_seconds match = day + *time;
        if (match > last) return std::nullopt;
        return match;
      }
    }
    day += days(1);
    time_of_day = seconds(0);
  }
  return std::nullopt;
}

}  // namespace workflow::detail
