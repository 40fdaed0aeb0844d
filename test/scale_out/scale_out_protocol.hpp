// What the scale-out test's worker program and its driver agree on: the workflow's stable ID, the
// arithmetic that makes every run's result predictable, which runs wait for which event, and the
// format of the step log the workers append to.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace scale_out {

inline constexpr const char* kWorkflowId = "workflow//./test/scale_out//pipeline";
inline constexpr const char* kStepId = "step//./test/scale_out//mix";
/// Step calls per run (besides its sleeps and its wait for an event).
inline constexpr int kSteps = 10;
/// The call whose body takes 20-60 ms instead of a few: kills and stalls often land inside it.
inline constexpr int kLongCall = 5;
/// The event the driver sends to every run, after the step call kEventAfter.
inline constexpr const char* kEvent = "go";
inline constexpr int kEventAfter = 6;
/// The call after which every run sleeps (a durable timer), and the one after which a run with an
/// odd seed sleeps again.
inline constexpr int kSleepAfter = 3;
inline constexpr int kSecondSleepAfter = 8;
/// The call after which a run whose seed is a multiple of kTimeoutEvery waits for an event nobody
/// sends, so that its wait times out (a durable timeout).
inline constexpr int kTimeoutAfter = 4;
inline constexpr int kTimeoutEvery = 8;
inline constexpr const char* kUnsentEvent = "never";

/// One step: the running value folded with the call number.
inline int mix(int value, int call) {
  std::int64_t next = (static_cast<std::int64_t>(value) * 48271 + call * 7919 + 13) % 2147483647;
  return static_cast<int>(next);
}

/// The payload the driver sends as the event `go` to the run with `seed`.
inline int event_payload(int seed) { return seed % 997 + 1; }

inline std::chrono::milliseconds first_sleep(int seed) { return std::chrono::milliseconds(100 + seed % 1401); }
inline std::chrono::milliseconds second_sleep(int seed) { return std::chrono::milliseconds(5 + seed % 41); }
inline std::chrono::milliseconds unsent_event_timeout(int seed) {
  return std::chrono::milliseconds(100 + seed % 200);
}
inline bool waits_for_unsent_event(int seed) { return seed % kTimeoutEvery == 0; }

/// What the run with `seed` returns: the workflow's arithmetic, without its waits.
inline int expected_result(int seed) {
  int value = seed;
  for (int call = 1; call <= kSteps; ++call) {
    value = mix(value, call);
    if (call == kTimeoutAfter && waits_for_unsent_event(seed)) value = mix(value, -1);
    if (call == kEventAfter) value = mix(value, event_payload(seed));
  }
  return value;
}

/// Nanoseconds on CLOCK_MONOTONIC (steady_clock on Linux): one clock for every process of the
/// host, so the driver's kill times and the workers' step times compare.
inline std::int64_t monotonic_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// A step log line: `<pid> start|end <run> <call> <monotonic-ns> <attempt> <recovery-count>`
// (attempt and recovery count as workflow::step_metadata and workflow_metadata report them).

}  // namespace scale_out
