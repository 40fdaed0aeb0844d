// One structured log record: what the runtime says on stderr about a run transition, a step
// failure or a problem of its own (docs/logging.md). A record is data; log_line.hpp turns it into
// one line of text or JSON, logger.hpp writes it.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace workflow::detail {

/// Ordered by severity; `off` silences everything.
enum class LogLevel { debug, info, warn, error, off };
enum class LogFormat { text, json };

std::string_view to_string(LogLevel level);
std::string_view to_string(LogFormat format);

struct LogRecord {
  LogLevel level = LogLevel::info;
  /// What happened, in words; names the run it is about (`run M-1 completed`).
  std::string message;
  /// The transition, as one snake_case name (`run_completed`, `step_retrying`, `run_claimed`);
  /// empty for a plain message.
  std::string event;
  std::string run_id;
  std::string workflow;
  /// The step's stable ID, for step events.
  std::string step;
  /// The journal's name of the call in the run (`step-3`, `wait-4`).
  std::string correlation_id;
  /// The step attempt (1 for the first).
  std::optional<int> attempt;
  /// The run's attempt (1, and one more after each restart).
  std::optional<int> run_attempt;
  /// Why it failed, for failures.
  std::string error;
  /// Prefix of a text line before the message: `workflow` (`workflow: ...`), or the component
  /// whose messages have always said so (`workflow worker: ...`). Not part of a JSON line.
  std::string_view component = "workflow";
  /// What else the event carries, in order: strings, integers, booleans (`retry_at`, `worker`).
  std::vector<std::pair<std::string, nlohmann::ordered_json>> fields;

  LogRecord& with(std::string key, nlohmann::ordered_json value) {
    fields.emplace_back(std::move(key), std::move(value));
    return *this;
  }
};

}  // namespace workflow::detail
