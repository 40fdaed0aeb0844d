// Parsing and applying the POSIX TZ rule of a TZif footer.
#include "schedule/posix_tz_rule.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>

namespace workflow::detail {
namespace {

using std::chrono::seconds;

bool take(std::string_view& text, char c) {
  if (text.empty() || text.front() != c) return false;
  text.remove_prefix(1);
  return true;
}

std::optional<int> take_number(std::string_view& text, int max_digits) {
  int value = 0, digits = 0;
  while (!text.empty() && std::isdigit(static_cast<unsigned char>(text.front())) && digits < max_digits) {
    value = value * 10 + (text.front() - '0');
    text.remove_prefix(1);
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  return value;
}

// A zone abbreviation: letters (`CET`), or anything but '>' between angle brackets (`<+1030>`).
bool take_name(std::string_view& text) {
  if (take(text, '<')) {
    auto close = text.find('>');
    if (close == std::string_view::npos || close < 3) return false;
    text.remove_prefix(close + 1);
    return true;
  }
  std::size_t letters = 0;
  while (letters < text.size() && std::isalpha(static_cast<unsigned char>(text[letters]))) ++letters;
  if (letters < 3) return false;
  text.remove_prefix(letters);
  return true;
}

// `[+-]hh[:mm[:ss]]`; hours up to 167 (RFC 8536's extension of the transition times).
std::optional<seconds> take_duration(std::string_view& text) {
  int sign = 1;
  if (take(text, '-')) sign = -1;
  else take(text, '+');
  auto hours = take_number(text, 3);
  if (!hours || *hours > 167) return std::nullopt;
  int minutes = 0, secs = 0;
  if (take(text, ':')) {
    auto m = take_number(text, 2);
    if (!m || *m > 59) return std::nullopt;
    minutes = *m;
    if (take(text, ':')) {
      auto s = take_number(text, 2);
      if (!s || *s > 59) return std::nullopt;
      secs = *s;
    }
  }
  return seconds(sign * (*hours * 3600 + minutes * 60 + secs));
}

}  // namespace

std::optional<PosixTzRule::DateRule> PosixTzRule::parse_date_rule(std::string_view& text) {
  DateRule rule;
  if (take(text, 'M')) {
    auto month = take_number(text, 2);
    if (!month || *month < 1 || *month > 12 || !take(text, '.')) return std::nullopt;
    auto week = take_number(text, 1);
    if (!week || *week < 1 || *week > 5 || !take(text, '.')) return std::nullopt;
    auto weekday = take_number(text, 1);
    if (!weekday || *weekday > 6) return std::nullopt;
    rule.kind = DateRule::Kind::month_week_day;
    rule.month = *month;
    rule.week = *week;
    rule.weekday = *weekday;
  } else if (take(text, 'J')) {
    auto day = take_number(text, 3);
    if (!day || *day < 1 || *day > 365) return std::nullopt;
    rule.kind = DateRule::Kind::julian_without_leap_day;
    rule.day = *day;
  } else {
    auto day = take_number(text, 3);
    if (!day || *day > 365) return std::nullopt;
    rule.kind = DateRule::Kind::zero_based_day;
    rule.day = *day;
  }
  if (take(text, '/')) {
    auto time = take_duration(text);
    if (!time) return std::nullopt;
    rule.time = *time;
  }
  return rule;
}

std::optional<PosixTzRule> PosixTzRule::parse(std::string_view text) {
  PosixTzRule rule;
  if (!take_name(text)) return std::nullopt;
  auto standard = take_duration(text);
  if (!standard) return std::nullopt;
  // POSIX offsets count west of Greenwich: `CET-1` is UTC+1.
  rule.standard_offset_ = -*standard;
  if (text.empty()) return std::nullopt;  // standard time all year
  if (!take_name(text)) return std::nullopt;
  rule.daylight_offset_ = rule.standard_offset_ + std::chrono::hours(1);
  if (!text.empty() && text.front() != ',') {
    auto daylight = take_duration(text);
    if (!daylight) return std::nullopt;
    rule.daylight_offset_ = -*daylight;
  }
  if (!take(text, ',')) return std::nullopt;
  auto start = parse_date_rule(text);
  if (!start || !take(text, ',')) return std::nullopt;
  auto end = parse_date_rule(text);
  if (!end || !text.empty()) return std::nullopt;
  rule.daylight_start_ = *start;
  rule.daylight_end_ = *end;
  return rule;
}

std::optional<PosixTzRule> PosixTzRule::read_tzif_footer(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::string content((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  // Version 2 and later end with `\n<TZ string>\n`; the string holds no newline.
  if (content.size() < 5 || content.compare(0, 4, "TZif") != 0 || content[4] < '2' || content.back() != '\n')
    return std::nullopt;
  auto start = content.rfind('\n', content.size() - 2);
  if (start == std::string::npos) return std::nullopt;
  return parse(std::string_view(content).substr(start + 1, content.size() - start - 2));
}

std::chrono::sys_seconds PosixTzRule::instant_in(int year, const DateRule& rule, seconds offset_before) const {
  using namespace std::chrono;
  sys_days day;
  const year_month_day january_first{std::chrono::year(year), January, std::chrono::day(1)};
  switch (rule.kind) {
    case DateRule::Kind::month_week_day: {
      const auto month = std::chrono::month(static_cast<unsigned>(rule.month));
      const auto weekday_wanted = std::chrono::weekday(static_cast<unsigned>(rule.weekday));
      if (rule.week == 5) {
        day = sys_days(year_month_weekday_last(std::chrono::year(year), month, weekday_last(weekday_wanted)));
      } else {
        day = sys_days(year_month_weekday(std::chrono::year(year), month,
                                          weekday_indexed(weekday_wanted, static_cast<unsigned>(rule.week))));
      }
      break;
    }
    case DateRule::Kind::julian_without_leap_day: {
      // Day 60 is always 1 March: February 29 is never counted.
      day = sys_days(january_first) + days(rule.day - 1);
      if (std::chrono::year(year).is_leap() && rule.day >= 60) day += days(1);
      break;
    }
    case DateRule::Kind::zero_based_day:
      day = sys_days(january_first) + days(rule.day);
      break;
  }
  return sys_seconds(day) + rule.time - offset_before;
}

std::vector<ClockChange> PosixTzRule::changes(int first_year, int last_year) const {
  std::vector<ClockChange> result;
  for (int year = first_year; year <= last_year; ++year) {
    result.push_back({instant_in(year, daylight_start_, standard_offset_), daylight_offset_});
    result.push_back({instant_in(year, daylight_end_, daylight_offset_), standard_offset_});
  }
  std::sort(result.begin(), result.end(), [](const ClockChange& a, const ClockChange& b) { return a.at < b.at; });
  return result;
}

}  // namespace workflow::detail
