// POSIX TZ strings of TZif footers (posix_tz_rule.hpp).
#include "schedule/posix_tz_rule.hpp"

#include "schedule/time_zone.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <iterator>
#include <string>

namespace workflow::detail {
namespace {

using namespace std::chrono;

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}
  bool done() const { return at_ >= text_.size(); }
  bool take(char c) {
    if (done() || text_[at_] != c) return false;
    ++at_;
    return true;
  }
  bool peek_digit_or_sign() const {
    return !done() && (std::isdigit(static_cast<unsigned char>(text_[at_])) || text_[at_] == '+' || text_[at_] == '-');
  }
  // A zone abbreviation: three or more letters, or <...> holding letters, digits, + and -.
  bool name() {
    if (take('<')) {
      while (!done() && text_[at_] != '>') ++at_;
      return take('>');
    }
    std::size_t begin = at_;
    while (!done() && std::isalpha(static_cast<unsigned char>(text_[at_]))) ++at_;
    return at_ - begin >= 3;
  }
  std::optional<int> number() {
    if (done() || !std::isdigit(static_cast<unsigned char>(text_[at_]))) return std::nullopt;
    int value = 0;
    while (!done() && std::isdigit(static_cast<unsigned char>(text_[at_])) && value < 100000)
      value = value * 10 + (text_[at_++] - '0');
    return value;
  }
  // [+-]hh[:mm[:ss]], in seconds.
  std::optional<seconds> hms() {
    int sign = take('-') ? -1 : (take('+'), 1);
    auto hours = number();
    if (!hours) return std::nullopt;
    int minutes = 0, secs = 0;
    if (take(':')) {
      auto m = number();
      if (!m) return std::nullopt;
      minutes = *m;
      if (take(':')) {
        auto s = number();
        if (!s) return std::nullopt;
        secs = *s;
      }
    }
    return seconds(sign * (*hours * 3600 + minutes * 60 + secs));
  }

 private:
  std::string_view text_;
  std::size_t at_ = 0;
};

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

}  // namespace

std::optional<PosixTzRule> PosixTzRule::parse(std::string_view text) {
  PosixTzRule rule;
  Reader in(text);
  if (!in.name()) return std::nullopt;
  auto standard = in.hms();
  if (!standard) return std::nullopt;
  rule.standard_offset_ = -*standard;  // POSIX counts west of Greenwich as positive
  if (in.done()) return rule;
  if (!in.name()) return std::nullopt;
  rule.dst_offset_ = rule.standard_offset_ + hours(1);
  if (in.peek_digit_or_sign()) {
    auto dst = in.hms();
    if (!dst) return std::nullopt;
    rule.dst_offset_ = -*dst;
  }
  auto date_rule = [&](DateRule& date) {
    if (!in.take(',')) return false;
    if (in.take('M')) {
      auto month = in.number();
      if (!month || !in.take('.')) return false;
      auto week = in.number();
      if (!week || !in.take('.')) return false;
      auto weekday = in.number();
      if (!weekday || *month < 1 || *month > 12 || *week < 1 || *week > 5 || *weekday > 6) return false;
      date = {DateRule::Kind::month_week_day, *month, *week, *weekday, 0};
    } else {
      bool julian = in.take('J');
      auto day = in.number();
      if (!day || *day > 365 || (julian && *day < 1)) return false;
      date = {julian ? DateRule::Kind::julian_no_leap : DateRule::Kind::zero_based, 0, 0, 0, *day};
    }
    if (in.take('/')) {
      auto time = in.hms();  // RFC 8536 allows -167 to 167 hours
      if (!time) return false;
      date.time = *time;
    }
    return true;
  };
  if (!date_rule(rule.start_) || !date_rule(rule.end_) || !in.done()) return std::nullopt;
  rule.has_dst_ = true;
  return rule;
}

std::optional<PosixTzRule> PosixTzRule::from_tzif_file(const char* path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::string data((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  // Version 2+ files end with "\n<TZ string>\n".
  if (data.size() < 2 || data.back() != '\n') return std::nullopt;
  auto open = data.rfind('\n', data.size() - 2);
  if (open == std::string::npos) return std::nullopt;
  return parse(std::string_view(data).substr(open + 1, data.size() - open - 2));
}

sys_seconds PosixTzRule::transition(int year, bool to_dst) const {
  const DateRule& rule = to_dst ? start_ : end_;
  sys_days day;
  switch (rule.kind) {
    case DateRule::Kind::month_week_day: {
      auto first = sys_days(std::chrono::year{year} / std::chrono::month{static_cast<unsigned>(rule.month)} / 1);
      auto first_weekday = weekday(first).c_encoding();
      day = first + days((rule.weekday - static_cast<int>(first_weekday) + 7) % 7 + 7 * (rule.week - 1));
      auto next_month =
          sys_days((std::chrono::year{year} / std::chrono::month{static_cast<unsigned>(rule.month)} + months(1)) / 1);
      while (day >= next_month) day -= days(7);  // week 5: the last such weekday
      break;
    }
    case DateRule::Kind::julian_no_leap: {
      int offset = rule.day - 1;
      if (is_leap(year) && rule.day >= 60) ++offset;  // Feb 29 is never counted
      day = sys_days(std::chrono::year{year} / January / 1) + days(offset);
      break;
    }
    case DateRule::Kind::zero_based:
      day = sys_days(std::chrono::year{year} / January / 1) + days(rule.day);
      break;
  }
  // The time is on the clocks in force before the change.
  return day + rule.time - (to_dst ? standard_offset_ : dst_offset_);
}

UtcOffsetPeriod PosixTzRule::period_at(sys_seconds instant) const {
  if (!has_dst_) return {sys_seconds::min(), sys_seconds::max(), standard_offset_};
  int year = static_cast<int>(year_month_day(floor<days>(instant)).year());
  // The changes of the years around the instant, in order: each starts a period of its offset.
  std::array<std::pair<sys_seconds, seconds>, 6> changes{};
  std::size_t count = 0;
  for (int y = year - 1; y <= year + 1; ++y) {
    changes[count++] = {transition(y, true), dst_offset_};
    changes[count++] = {transition(y, false), standard_offset_};
  }
  std::sort(changes.begin(), changes.end());
  for (std::size_t i = 1; i < count; ++i) {
    if (instant < changes[i].first && instant >= changes[i - 1].first)
      return {changes[i - 1].first, changes[i].first, changes[i - 1].second};
  }
  return {changes.front().first, changes.back().first, changes.front().second};
}

}  // namespace workflow::detail
