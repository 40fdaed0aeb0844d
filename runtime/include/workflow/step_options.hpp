// Per-step retry and timeout configuration, checked at compile time.
//
//   WORKFLOW_STEP_OPTIONS(shop::charge_card, {.max_retries = 5, .initial_delay = 500ms});
//
// specialises `workflow::step_options<&shop::charge_card>`; every journaled call of that step
// reads it, and an invalid configuration stops the build at that call.
#pragma once

#include <chrono>

namespace workflow {

/// How a step is retried. The defaults are DESIGN §5: 3 retries after the first attempt,
/// waiting 1 s, 2 s, 4 s.
struct StepOptions {
  /// Attempts after the first one; 0 disables retries.
  int max_retries = 3;
  /// Wait before the first retry.
  std::chrono::milliseconds initial_delay{1000};
  /// Each further wait is the previous one times this factor (>= 1).
  double backoff = 2.0;
  /// Upper bound on one wait between attempts.
  std::chrono::milliseconds max_delay{std::chrono::hours(1)};
  /// An attempt still running after this long counts as failed (0: no limit). The abandoned
  /// attempt's result is ignored; steps must be idempotent anyway.
  std::chrono::milliseconds timeout{0};
};

/// Why `options` is invalid, or nullptr when it is valid.
constexpr const char* step_options_problem(const StepOptions& options) {
  if (options.max_retries < 0) return "max_retries must not be negative";
  if (options.max_retries > 1000) return "max_retries above 1000 is almost certainly a mistake";
  if (options.initial_delay.count() < 0) return "initial_delay must not be negative";
  if (!(options.backoff >= 1.0)) return "backoff must be at least 1.0";
  if (options.max_delay < options.initial_delay) return "max_delay must be >= initial_delay";
  if (options.timeout.count() < 0) return "timeout must not be negative";
  return nullptr;
}

/// The options of the step `Fn`; specialise with WORKFLOW_STEP_OPTIONS.
template <auto Fn>
inline constexpr StepOptions step_options{};

}  // namespace workflow

/// Sets the retry options of step `fn` (a function name). Use it at global scope, after the
/// step's declaration.
#define WORKFLOW_STEP_OPTIONS(fn, ...) \
  template <>                          \
  inline constexpr ::workflow::StepOptions workflow::step_options<&fn> = ::workflow::StepOptions __VA_ARGS__
