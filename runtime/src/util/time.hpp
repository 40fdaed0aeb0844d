// Conversions between the journal's integer timestamps (microseconds since the Unix epoch) and
// std::chrono time points.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

namespace workflow::detail {

using TimePoint = std::chrono::system_clock::time_point;
using Micros = std::int64_t;

inline Micros to_micros(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

/// An optional time as stored: microseconds, or nothing (NULL).
inline std::optional<Micros> optional_micros(const std::optional<TimePoint>& time) {
  if (!time) return std::nullopt;
  return to_micros(*time);
}

/// Clamped to what a TimePoint holds (about the years 1678 to 2262): a journal written by
/// something else may hold any integer, and the conversion overflowed (found by
/// test/fuzz/journal_record_fuzz.cpp).
inline TimePoint from_micros(Micros m) {
  constexpr Micros kLimit = std::chrono::duration_cast<std::chrono::microseconds>(TimePoint::duration::max()).count();
  m = std::clamp(m, -kLimit, kLimit);
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::microseconds(m)));
}

/// How far this process's clock runs ahead of the system clock, in microseconds: zero, except
/// under the virtual clock of a test environment (<workflow/testing.hpp>), which only moves it
/// forward while its engine runs. The runtime has no other clock, so sleeps, event timeouts and
/// retry back-offs all end when it jumps.
inline std::atomic<Micros>& clock_offset() {
  static std::atomic<Micros> offset{0};
  return offset;
}

/// The current time at the journal's precision (microseconds), so that a time used live and the
/// same time read back on replay are equal: workflow::now() depends on it.
inline TimePoint wall_now() {
  return from_micros(to_micros(std::chrono::system_clock::now()) + clock_offset().load());
}

/// A time of wall_now()'s clock as the system clock will show it. Timed waits on condition
/// variables count in system time: a deadline computed from wall_now() goes through this, or a
/// virtual clock ahead of the system's would make the wait far too long.
inline std::chrono::system_clock::time_point system_time(TimePoint time) {
  return time - std::chrono::microseconds(clock_offset().load());
}

}  // namespace workflow::detail
