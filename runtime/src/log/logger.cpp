// The process's logger and its settings.
#include "log/logger.hpp"

#include "log/log_line.hpp"

#include <workflow/errors.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace workflow::detail {
namespace {

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

}  // namespace

Logger::Logger(int fd, LogLevel level, LogFormat format) : fd_(fd), level_(level), format_(format) {}

void Logger::set(LogLevel level, LogFormat format) {
  level_.store(level, std::memory_order_relaxed);
  format_.store(format, std::memory_order_relaxed);
}

void Logger::log(const LogRecord& record) {
  if (!enabled(record.level)) return;
  std::string line = format_log_line(record, format(), std::chrono::system_clock::now());
  // One write() is one line for every reader of a pipe or an O_APPEND file; the lock keeps a
  // partial write (a line longer than the pipe's buffer) from interleaving with another thread's.
  std::lock_guard lock(write_mutex_);
  std::size_t written = 0;
  while (written < line.size()) {
    ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nowhere to log to (stderr closed): logging never fails the runtime
    written += static_cast<std::size_t>(n);
  }
}

Logger& process_logger() {
  static Logger logger(STDERR_FILENO, parse_log_level(environment("WORKFLOW_LOG_LEVEL")).value_or(LogLevel::info),
                       parse_log_format(environment("WORKFLOW_LOG_FORMAT")).value_or(LogFormat::text));
  return logger;
}

std::optional<LogLevel> parse_log_level(std::string_view text) {
  for (auto level : {LogLevel::debug, LogLevel::info, LogLevel::warn, LogLevel::error, LogLevel::off})
    if (text == to_string(level)) return level;
  return std::nullopt;
}

std::optional<LogFormat> parse_log_format(std::string_view text) {
  for (auto format : {LogFormat::text, LogFormat::json})
    if (text == to_string(format)) return format;
  return std::nullopt;
}

void configure_logging(const std::string& level, const std::string& format) {
  std::string level_text = level.empty() ? environment("WORKFLOW_LOG_LEVEL") : level;
  std::string format_text = format.empty() ? environment("WORKFLOW_LOG_FORMAT") : format;
  auto parsed_level = level_text.empty() ? LogLevel::info : parse_log_level(level_text);
  auto parsed_format = format_text.empty() ? LogFormat::text : parse_log_format(format_text);
  if (!parsed_level)
    throw ConfigurationError("log level '" + level_text +
                             "' (Config::log_level, WORKFLOW_LOG_LEVEL): expected debug, info, warn, error or off");
  if (!parsed_format)
    throw ConfigurationError("log format '" + format_text +
                             "' (Config::log_format, WORKFLOW_LOG_FORMAT): expected text or json");
  process_logger().set(*parsed_level, *parsed_format);
}

void log_message(LogLevel level, std::string message, std::string run_id, std::string_view component) {
  auto& logger = process_logger();
  if (!logger.enabled(level)) return;
  LogRecord record;
  record.level = level;
  record.message = std::move(message);
  record.run_id = std::move(run_id);
  record.component = component;
  logger.log(record);
}

}  // namespace workflow::detail
