// A record as one line of text or JSON: the keys, their order, and escaping of whatever a run ID
// or an error message holds (quotes, newlines, control characters, bytes that are not UTF-8).
#include "log/log_line.hpp"

#include <workflow/detail/time_text.hpp>

#include <gtest/gtest.h>

#include <algorithm>

namespace {

using workflow::detail::format_log_line;
using workflow::detail::LogFormat;
using workflow::detail::LogLevel;
using workflow::detail::LogRecord;
using workflow::detail::rfc3339_millis;
using OrderedJson = nlohmann::ordered_json;

// 2024-02-29T23:59:59.123Z, a leap day.
const auto kAt = std::chrono::system_clock::time_point(std::chrono::milliseconds(1709251199123));

LogRecord retrying() {
  LogRecord record;
  record.level = LogLevel::warn;
  record.event = "step_retrying";
  record.message = "run R-1 step failed, retrying";
  record.run_id = "R-1";
  record.workflow = "workflow//./src/orders//process_order";
  record.step = "step//./src/orders//book_carrier";
  record.correlation_id = "step-6";
  record.attempt = 2;
  record.run_attempt = 1;
  record.error = "carrier API timed out";
  record.with("retry_at", "2024-03-01T00:00:01.000Z").with("abandoned", true);
  return record;
}

std::size_t newlines(const std::string& line) { return std::count(line.begin(), line.end(), '\n'); }

TEST(LogLineTest, JsonCarriesTheStandardKeysFirstThenTheEventsOwn) {
  std::string line = format_log_line(retrying(), LogFormat::json, kAt);
  ASSERT_EQ(line.back(), '\n');
  auto parsed = OrderedJson::parse(line);
  std::vector<std::string> keys;
  for (const auto& item : parsed.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"ts", "level", "event", "msg", "run_id", "workflow", "step", "correlation_id",
                                            "attempt", "run_attempt", "error", "retry_at", "abandoned"}));
  EXPECT_EQ(parsed["ts"], "2024-02-29T23:59:59.123Z");
  EXPECT_EQ(parsed["level"], "warn");
  EXPECT_EQ(parsed["attempt"], 2) << "a number, not a string";
  EXPECT_EQ(parsed["abandoned"], true);
  EXPECT_EQ(parsed["error"], "carrier API timed out");
}

TEST(LogLineTest, JsonLeavesOutWhatTheRecordDoesNotHave) {
  LogRecord record;
  record.message = "metrics on http://127.0.0.1:9464/metrics";
  auto parsed = OrderedJson::parse(format_log_line(record, LogFormat::json, kAt));
  std::vector<std::string> keys;
  for (const auto& item : parsed.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"ts", "level", "msg"}));
  EXPECT_EQ(parsed["msg"], "metrics on http://127.0.0.1:9464/metrics");
}

TEST(LogLineTest, JsonEscapesQuotesNewlinesAndControlCharactersOnOneLine) {
  LogRecord record = retrying();
  record.run_id = "order \"7\"\\n";
  record.error = "line one\nline \"two\"\r\n\ttabbed\x01\x1f end";
  record.message = "run " + record.run_id + " step failed, retrying";
  std::string line = format_log_line(record, LogFormat::json, kAt);
  EXPECT_EQ(newlines(line), 1u) << line;
  auto parsed = OrderedJson::parse(line);
  EXPECT_EQ(parsed["run_id"], record.run_id);
  EXPECT_EQ(parsed["error"], record.error);
  EXPECT_NE(line.find(R"(line one\nline \"two\"\r\n\ttabbed\u0001\u001f end)"), std::string::npos) << line;
}

TEST(LogLineTest, JsonReplacesBytesThatAreNotUtf8AndKeepsThoseThatAre) {
  LogRecord record = retrying();
  record.run_id = "run-\xc3";                        // a sequence cut short
  record.error = "bad \xff\xfe bytes, caf\xc3\xa9 \xf0\x9f\x93\xa6";  // invalid, then é and a parcel emoji
  std::string line = format_log_line(record, LogFormat::json, kAt);
  OrderedJson parsed;
  ASSERT_NO_THROW(parsed = OrderedJson::parse(line)) << line;
  EXPECT_EQ(parsed["run_id"], "run-\xef\xbf\xbd");
  EXPECT_EQ(parsed["error"], "bad \xef\xbf\xbd\xef\xbf\xbd bytes, caf\xc3\xa9 \xf0\x9f\x93\xa6");
}

TEST(LogLineTest, TextIsTheWorkflowStyleWithKeyValueFields) {
  EXPECT_EQ(format_log_line(retrying(), LogFormat::text, kAt),
            "workflow: run R-1 step failed, retrying workflow=workflow//./src/orders//process_order "
            "step=step//./src/orders//book_carrier correlation_id=step-6 attempt=2 run_attempt=1 "
            "retry_at=2024-03-01T00:00:01.000Z abandoned=true error=\"carrier API timed out\"\n");
}

TEST(LogLineTest, TextOfAPlainMessageIsTheMessageAsItWas) {
  LogRecord record;
  record.level = LogLevel::error;
  record.message = "run R-9: cannot read its journal: disk I/O error";
  record.run_id = "R-9";  // named by the message: not repeated
  EXPECT_EQ(format_log_line(record, LogFormat::text, kAt), "workflow: run R-9: cannot read its journal: disk I/O error\n");
  record.component = "workflow worker";
  record.message = "cannot start: 'x' is not a journal";
  EXPECT_EQ(format_log_line(record, LogFormat::text, kAt), "workflow worker: cannot start: 'x' is not a journal\n");
}

TEST(LogLineTest, TextEscapesNewlinesAndQuotesValuesThatNeedIt) {
  LogRecord record;
  record.message = "run R-2: the \"journal\" says\nno";
  record.workflow = "wf";
  record.error = "two\nlines and a \"quote\" and a \\ backslash\x7f";
  record.with("empty", "").with("spaced", "a b").with("equals", "a=b").with("count", 3);
  std::string line = format_log_line(record, LogFormat::text, kAt);
  EXPECT_EQ(newlines(line), 1u) << line;
  EXPECT_EQ(line,
            "workflow: run R-2: the \"journal\" says\\nno workflow=wf empty=\"\" spaced=\"a b\" equals=\"a=b\" count=3 "
            "error=\"two\\nlines and a \\\"quote\\\" and a \\\\ backslash\\x7f\"\n");
}

TEST(LogLineTest, TimesAreUtcWithMillisecondsBeforeTheEpochToo) {
  EXPECT_EQ(rfc3339_millis(kAt), "2024-02-29T23:59:59.123Z");
  EXPECT_EQ(rfc3339_millis(std::chrono::system_clock::time_point{}), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(rfc3339_millis(std::chrono::system_clock::time_point(std::chrono::milliseconds(-1))),
            "1969-12-31T23:59:59.999Z");
}

}  // namespace
