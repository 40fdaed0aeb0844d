// Where log records go: one line each on a file descriptor (stderr for the process's logger),
// written with one write(2) under a lock, so that the lines of concurrent threads never
// interleave. Records below the logger's level cost one atomic load (enabled()).
//
// The process has one logger (process_logger()): stderr is the process's. It starts with
// WORKFLOW_LOG_LEVEL and WORKFLOW_LOG_FORMAT; an engine starting applies its Config's
// log_level and log_format (configure_logging).
//
// Thread safety: every member may be called from any thread.
#pragma once

#include "log/log_record.hpp"

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace workflow::detail {

class Logger {
 public:
  explicit Logger(int fd, LogLevel level = LogLevel::info, LogFormat format = LogFormat::text);

  void set(LogLevel level, LogFormat format);
  LogLevel level() const { return level_.load(std::memory_order_relaxed); }
  LogFormat format() const { return format_.load(std::memory_order_relaxed); }
  /// Whether a record at `level` would be written.
  bool enabled(LogLevel level) const { return level != LogLevel::off && level >= this->level(); }
  /// Writes the record as one line, unless its level is below the logger's.
  void log(const LogRecord& record);

 private:
  int fd_;
  std::atomic<LogLevel> level_;
  std::atomic<LogFormat> format_;
  std::mutex write_mutex_;
};

/// The process's logger, on stderr.
Logger& process_logger();

/// `debug`, `info`, `warn`, `error` or `off`; nothing for anything else.
std::optional<LogLevel> parse_log_level(std::string_view text);
/// `text` or `json`; nothing for anything else.
std::optional<LogFormat> parse_log_format(std::string_view text);

/// Applies Config::log_level and Config::log_format to the process's logger; empty: the
/// environment (WORKFLOW_LOG_LEVEL, WORKFLOW_LOG_FORMAT), else `info` and `text`. Throws
/// ConfigurationError, naming the setting, for a value it does not know.
void configure_logging(const std::string& level, const std::string& format);

/// A message of the runtime itself (a warning, an error it recovers from) at `level`, about
/// `run_id` if given; `component` prefixes its text line.
void log_message(LogLevel level, std::string message, std::string run_id = {},
                 std::string_view component = "workflow");

}  // namespace workflow::detail
