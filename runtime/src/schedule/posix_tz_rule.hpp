// The rule a TZif file's footer states for instants after its last transition: a POSIX TZ string
// such as `CET-1CEST,M3.5.0,M10.5.0/3` (RFC 8536, section 3.3). date/tz ignores the footer, so
// without it every DST zone would keep its last offset forever after 2037, the last year most
// tzdata builds list transitions for.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace workflow::detail {

struct UtcOffsetPeriod;

class PosixTzRule {
 public:
  /// The rule of `text`, or nothing when it does not parse (the footer is then ignored).
  static std::optional<PosixTzRule> parse(std::string_view text);
  /// The footer of the TZif file at `path`, parsed; nothing without a file, a footer, or a rule.
  static std::optional<PosixTzRule> from_tzif_file(const char* path);

  bool has_dst() const { return has_dst_; }
  /// The period of constant offset that contains `instant`, as the rule alone says.
  UtcOffsetPeriod period_at(std::chrono::sys_seconds instant) const;

 private:
  // A transition date: `M month.week.weekday` (week 5: the last), `J day` (1-365, no Feb 29) or
  // `day` (0-365, counting Feb 29).
  struct DateRule {
    enum class Kind { month_week_day, julian_no_leap, zero_based } kind = Kind::month_week_day;
    int month = 0, week = 0, weekday = 0, day = 0;
    std::chrono::seconds time{7200};  // local time of day of the change; default 02:00
  };
  /// When DST begins (`to_dst`) or ends in `year`, in UTC.
  std::chrono::sys_seconds transition(int year, bool to_dst) const;

  std::chrono::seconds standard_offset_{0};
  std::chrono::seconds dst_offset_{0};
  bool has_dst_ = false;
  DateRule start_, end_;
};

}  // namespace workflow::detail
