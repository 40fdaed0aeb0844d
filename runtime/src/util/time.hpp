// Conversions between the journal's integer timestamps (microseconds since the Unix epoch) and
// std::chrono time points.
#pragma once

#include <algorithm>
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

/// The current time at the journal's precision (microseconds), so that a time used live and the
/// same time read back on replay are equal: workflow::now() depends on it.
inline TimePoint wall_now() { return from_micros(to_micros(std::chrono::system_clock::now())); }

}  // namespace workflow::detail
