// The logger: its levels, one line per record even when many threads log long lines at once,
// and the settings it takes from Config and the environment.
#include "log/logger.hpp"

#include <workflow/errors.hpp>

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <thread>
#include <vector>

namespace {

using workflow::detail::LogFormat;
using workflow::detail::Logger;
using workflow::detail::LogLevel;
using workflow::detail::LogRecord;

// A pipe whose read end is drained on a thread of its own (a writer must not block on a full pipe).
class CapturedLines {
 public:
  CapturedLines() {
    if (pipe(fds_) != 0) throw std::runtime_error("pipe");
    reader_ = std::thread([this] {
      char buffer[65536];
      for (ssize_t n; (n = read(fds_[0], buffer, sizeof buffer)) > 0;) text_.append(buffer, static_cast<std::size_t>(n));
    });
  }
  ~CapturedLines() {
    close_writer();
    if (reader_.joinable()) reader_.join();
    close(fds_[0]);
  }
  int fd() const { return fds_[1]; }
  /// Every line written, once the writer is closed.
  std::vector<std::string> lines() {
    close_writer();
    if (reader_.joinable()) reader_.join();
    std::vector<std::string> lines;
    std::istringstream in(text_);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

 private:
  void close_writer() {
    if (fds_[1] >= 0) close(fds_[1]);
    fds_[1] = -1;
  }
  int fds_[2] = {-1, -1};
  std::thread reader_;
  std::string text_;
};

LogRecord record_at(LogLevel level, std::string message) {
  LogRecord record;
  record.level = level;
  record.message = std::move(message);
  return record;
}

TEST(LoggerTest, WritesRecordsAtOrAboveItsLevelOnly) {
  CapturedLines captured;
  Logger logger(captured.fd(), LogLevel::warn, LogFormat::text);
  EXPECT_FALSE(logger.enabled(LogLevel::info));
  EXPECT_TRUE(logger.enabled(LogLevel::warn));
  logger.log(record_at(LogLevel::debug, "a debug line"));
  logger.log(record_at(LogLevel::info, "an info line"));
  logger.log(record_at(LogLevel::warn, "a warning"));
  logger.log(record_at(LogLevel::error, "an error"));
  EXPECT_EQ(captured.lines(), (std::vector<std::string>{"workflow: a warning", "workflow: an error"}));
}

TEST(LoggerTest, OffSilencesEvenErrors) {
  CapturedLines captured;
  Logger logger(captured.fd(), LogLevel::off, LogFormat::json);
  logger.log(record_at(LogLevel::error, "an error"));
  logger.log(record_at(LogLevel::off, "a record claiming level off"));
  EXPECT_TRUE(captured.lines().empty());
}

TEST(LoggerTest, LinesOfConcurrentThreadsNeverInterleave) {
  CapturedLines captured;
  Logger logger(captured.fd(), LogLevel::debug, LogFormat::json);
  constexpr int kThreads = 8, kRecords = 100;
  // Longer than a pipe's atomic write (4096 bytes): one write() may then be split.
  const std::string payload(10000, 'x');
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRecords; ++i) {
        LogRecord record = record_at(LogLevel::info, "thread " + std::to_string(t));
        record.error = payload;
        record.with("i", i);
        logger.log(record);
      }
    });
  for (auto& thread : threads) thread.join();
  auto lines = captured.lines();
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kThreads * kRecords));
  std::vector<int> next(kThreads, 0);
  for (const auto& line : lines) {
    auto parsed = nlohmann::json::parse(line);  // throws on a line mixed with another
    EXPECT_EQ(parsed["error"], payload);
    int t = std::stoi(parsed["msg"].get<std::string>().substr(7));
    EXPECT_EQ(parsed["i"], next[t]++) << "a thread's lines in the order it logged them";
  }
}

TEST(LoggerTest, ParsesTheDocumentedLevelsAndFormats) {
  using workflow::detail::parse_log_format;
  using workflow::detail::parse_log_level;
  EXPECT_EQ(parse_log_level("debug"), LogLevel::debug);
  EXPECT_EQ(parse_log_level("info"), LogLevel::info);
  EXPECT_EQ(parse_log_level("warn"), LogLevel::warn);
  EXPECT_EQ(parse_log_level("error"), LogLevel::error);
  EXPECT_EQ(parse_log_level("off"), LogLevel::off);
  EXPECT_EQ(parse_log_level("warning"), std::nullopt);
  EXPECT_EQ(parse_log_level("INFO"), std::nullopt);
  EXPECT_EQ(parse_log_level(""), std::nullopt);
  EXPECT_EQ(parse_log_format("text"), LogFormat::text);
  EXPECT_EQ(parse_log_format("json"), LogFormat::json);
  EXPECT_EQ(parse_log_format("logfmt"), std::nullopt);
}

TEST(LoggerTest, SettingsComeFromConfigElseTheEnvironmentElseTheDefaults) {
  using workflow::detail::configure_logging;
  using workflow::detail::process_logger;
  unsetenv("WORKFLOW_LOG_LEVEL");
  unsetenv("WORKFLOW_LOG_FORMAT");
  configure_logging("", "");
  EXPECT_EQ(process_logger().level(), LogLevel::info);
  EXPECT_EQ(process_logger().format(), LogFormat::text);
  setenv("WORKFLOW_LOG_LEVEL", "error", 1);
  setenv("WORKFLOW_LOG_FORMAT", "json", 1);
  configure_logging("", "");
  EXPECT_EQ(process_logger().level(), LogLevel::error);
  EXPECT_EQ(process_logger().format(), LogFormat::json);
  configure_logging("debug", "text");  // Config wins over the environment
  EXPECT_EQ(process_logger().level(), LogLevel::debug);
  EXPECT_EQ(process_logger().format(), LogFormat::text);
  unsetenv("WORKFLOW_LOG_LEVEL");
  unsetenv("WORKFLOW_LOG_FORMAT");
  configure_logging("", "");
}

TEST(LoggerTest, AnUnknownSettingIsAConfigurationErrorNamingWhereItCameFrom) {
  using workflow::detail::configure_logging;
  using workflow::detail::process_logger;
  configure_logging("warn", "json");
  auto refusal = [](const std::string& level, const std::string& format) -> std::string {
    try {
      configure_logging(level, format);
    } catch (const workflow::ConfigurationError& error) {
      return error.what();
    }
    return "taken";
  };
  EXPECT_NE(refusal("verbose", "").find("'verbose' (Config::log_level, WORKFLOW_LOG_LEVEL)"), std::string::npos);
  EXPECT_NE(refusal("", "yaml").find("'yaml' (Config::log_format, WORKFLOW_LOG_FORMAT)"), std::string::npos);
  EXPECT_EQ(process_logger().level(), LogLevel::warn) << "a refused setting changed the logger";
  EXPECT_EQ(process_logger().format(), LogFormat::json);
  configure_logging("info", "text");
}

}  // namespace
