// A log record as one line (docs/logging.md): human text in the `workflow: ...` style with
// key=value fields, or one JSON object. Either way exactly one line, whatever the record holds:
// newlines and other control characters in messages and values are escaped, and bytes that are
// not UTF-8 become U+FFFD in JSON.
#pragma once

#include "log/log_record.hpp"

#include <chrono>
#include <string>

namespace workflow::detail {

/// The record as one line ending in '\n', logged at `at` (only a JSON line carries the time).
/// Text: `<component>: <message>` then ` key=value` for the fields other than the run ID, which
/// the message names; a value with spaces, quotes or control characters is quoted and escaped.
/// JSON: `ts`, `level`, `event`, `msg`, `run_id`, `workflow`, `step`, `correlation_id`,
/// `attempt`, `run_attempt`, `error`, then the record's other fields; empty ones are left out.
std::string format_log_line(const LogRecord& record, LogFormat format, std::chrono::system_clock::time_point at);

}  // namespace workflow::detail
