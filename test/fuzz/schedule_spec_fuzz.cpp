// Fuzz target schedule_spec: schedule expressions and time zones as `wf schedules create`, the
// REST API and workflow::schedule take them (runtime/src/schedule/, docs/schedules.md).
//
// Input: the expression, a newline, the time zone (absent: UTC), and optionally a newline and the
// instant to count from, in seconds since the epoch (absent or unreadable: 2026-03-29T00:30:00Z,
// the night Europe's clocks spring forward).
//
// Invariants: next_fire_times and describe_schedule throw nothing but ScheduleSpecError, and
// accept the same inputs. Fire times are whole seconds, strictly after the instant asked about,
// strictly increasing, at most as many as asked for; counting again from any of them gives the
// ones that follow it (the schedule has one sequence of fire times, wherever one starts reading).
#include "fuzz_check.hpp"

#include <workflow/errors.hpp>
#include <workflow/schedule_spec.hpp>

#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Clock = std::chrono::system_clock;
using Times = std::vector<Clock::time_point>;

constexpr std::size_t kCount = 6;
constexpr std::int64_t kDefaultStart = 1774744200;  // 2026-03-29T00:30:00Z
// From 1900 to 2200: the instants schedules are asked about, and all that chrono's seconds hold
// without overflow when the fire times are counted from them.
constexpr std::int64_t kEarliestStart = -2208988800;
constexpr std::int64_t kLatestStart = 7258118400;

std::optional<Times> fire_times(std::string_view spec, std::string_view zone, Clock::time_point after) {
  try {
    return workflow::next_fire_times(spec, zone, after, kCount);
  } catch (const workflow::ScheduleSpecError&) {
    return std::nullopt;
  }
}

bool described(std::string_view spec, std::string_view zone) {
  try {
    WORKFLOW_FUZZ_CHECK(!workflow::describe_schedule(spec, zone).empty());
    return true;
  } catch (const workflow::ScheduleSpecError&) {
    return false;
  }
}

std::int64_t start_of(std::string_view text) {
  std::int64_t seconds = 0;
  auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (problem != std::errc() || end != text.data() + text.size()) return kDefaultStart;
  if (seconds < kEarliestStart || seconds > kLatestStart) return kDefaultStart;
  return seconds;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto first_break = input.find('\n');
  std::string_view spec = input.substr(0, first_break);
  std::string_view zone, start_text;
  if (first_break != std::string_view::npos) {
    zone = input.substr(first_break + 1);
    auto second_break = zone.find('\n');
    if (second_break != std::string_view::npos) {
      start_text = zone.substr(second_break + 1);
      zone = zone.substr(0, second_break);
    }
  }
  auto after = Clock::time_point(std::chrono::seconds(start_of(start_text)));

  auto times = fire_times(spec, zone, after);
  WORKFLOW_FUZZ_CHECK(times.has_value() == described(spec, zone));
  if (!times) return 0;
  WORKFLOW_FUZZ_CHECK(times->size() <= kCount);
  auto previous = after;
  for (auto time : *times) {
    WORKFLOW_FUZZ_CHECK(time > previous);
    WORKFLOW_FUZZ_CHECK(time.time_since_epoch() % std::chrono::seconds(1) == Clock::duration::zero());
    previous = time;
  }
  for (std::size_t i = 0; i < times->size(); ++i) {
    auto again = fire_times(spec, zone, (*times)[i]);
    WORKFLOW_FUZZ_CHECK(again.has_value());
    std::size_t expected = std::min(kCount, times->size() - i - 1);
    WORKFLOW_FUZZ_CHECK(again->size() >= expected);
    for (std::size_t j = 0; j < expected; ++j) WORKFLOW_FUZZ_CHECK((*again)[j] == (*times)[i + 1 + j]);
  }
  return 0;
}
