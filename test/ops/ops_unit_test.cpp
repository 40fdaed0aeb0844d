// Unit tests of the operator tools' building blocks: ISO 8601 times, the run-query parameters,
// ID checks and the error table shared by the CLI and the REST API, percent-decoding and --listen.
#include "error_report.hpp"
#include "json_views.hpp"
#include "listen_address.hpp"
#include "operations.hpp"
#include "percent_decoding.hpp"

#include <workflow/errors.hpp>

#include <gtest/gtest.h>

#include <map>

namespace workflow::ops {
namespace {

RunQuery query_of(std::map<std::string, std::string> parameters) {
  return parse_run_query([&](const char* name) -> std::optional<std::string> {
    auto found = parameters.find(name);
    if (found == parameters.end()) return std::nullopt;
    return found->second;
  });
}

TEST(Iso8601, RoundTripsMillisecondsInUtc) {
  auto time = Clock::from_time_t(1764630700) + std::chrono::milliseconds(123);
  EXPECT_EQ(iso8601(time), "2025-12-01T23:11:40.123Z");
  EXPECT_EQ(parse_iso8601("2025-12-01T23:11:40.123Z"), time);
  EXPECT_EQ(parse_iso8601("2025-12-01T23:11:40Z"), time - std::chrono::milliseconds(123));
  EXPECT_EQ(parse_iso8601("2025-12-01T23:11:40.123456+00:00"), time + std::chrono::microseconds(456));
  EXPECT_EQ(iso8601(Clock::from_time_t(0) - std::chrono::milliseconds(1)), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(iso8601(*parse_iso8601("2024-02-29T12:00:00Z")), "2024-02-29T12:00:00.000Z");
}

TEST(Iso8601, RejectsWhatItDoesNotWrite) {
  for (const char* text : {"", "yesterday", "2025-12-01", "2025-12-01 23:11:40Z", "2025-13-01T00:00:00Z",
                           "2025-12-01T23:11:40", "2025-12-01T23:11:40.Z", "2025-12-01T23:11:40+02:00",
                           "2025-12-01T-1:11:40Z", "2025-12-01T 1:11:40Z", "+025-12-01T23:11:40Z",
                           "2025-02-29T00:00:00Z", "2025-04-31T00:00:00Z", "2263-01-01T00:00:00Z", "1677-01-01T00:00:00Z"})
    EXPECT_FALSE(parse_iso8601(text)) << text;
}

TEST(RunQueryParameters, ParseEveryFilter) {
  auto query = query_of({{"status", "waiting"}, {"workflow", "workflow//./a//f"}, {"limit", "7"},
                         {"cursor", "wrun_x"}, {"since", "2025-12-01T00:00:00Z"}});
  EXPECT_EQ(query.status, RunStatus::waiting);
  EXPECT_EQ(query.workflow, "workflow//./a//f");
  EXPECT_EQ(query.limit, 7u);
  EXPECT_EQ(query.cursor, "wrun_x");
  EXPECT_EQ(query.since, parse_iso8601("2025-12-01T00:00:00Z"));
  auto recent = query_of({{"since", "15m"}});
  ASSERT_TRUE(recent.since);
  EXPECT_NEAR(std::chrono::duration<double>(Clock::now() - *recent.since).count(), 900, 5);
  EXPECT_EQ(query_of({}).limit, 50u);
  EXPECT_FALSE(query_of({{"status", ""}}).status);  // empty means "no filter"
}

TEST(RunQueryParameters, RejectEachBadValueWithItsName) {
  std::vector<std::pair<std::map<std::string, std::string>, std::string>> cases = {
      {{{"status", "done"}}, "unknown status 'done'"},
      {{{"limit", "0"}}, "'limit' is '0'"},
      {{{"limit", "1001"}}, "'limit' is '1001'"},
      {{{"limit", "5x"}}, "'limit' is '5x'"},
      {{{"since", "15 minutes"}}, "'since' is '15 minutes'"},
      {{{"since", "15w"}}, "'since' is '15w'"},
      {{{"workflow", std::string("a\nb")}}, "control characters"},
  };
  for (const auto& [parameters, message] : cases) {
    try {
      query_of(parameters);
      ADD_FAILURE() << "accepted " << message;
    } catch (const BadRequest& error) {
      EXPECT_NE(std::string(error.what()).find(message), std::string::npos) << error.what();
    }
  }
}

TEST(CheckId, AcceptsPrintableUtf8AndRejectsTheRest) {
  EXPECT_NO_THROW(check_id("wrun_01J-p1.2/child-3", "the run ID"));
  EXPECT_NO_THROW(check_id("bestellung-\xc3\xa4\xe2\x82\xac\xf0\x9f\x98\x80", "the run ID"));  // ä € 😀
  EXPECT_NO_THROW(check_id(std::string(256, 'x'), "the run ID"));
  for (const std::string& bad : {std::string(), std::string(257, 'x'), std::string("a\tb"), std::string("\x7f"),
                                 std::string("\xff"), std::string("\xc0\xaf"), std::string("\xed\xa0\x80"),
                                 std::string("\xf4\x90\x80\x80"), std::string("\xe2\x82")})
    EXPECT_THROW(check_id(bad, "the run ID"), BadRequest) << bad;
}

TEST(ErrorReport, MapsEachErrorToOneStatusCodeAndExitCode) {
  auto report = [](auto error) { return report_error(std::make_exception_ptr(error)); };
  EXPECT_EQ(report(BadRequest("x")).http_status, 400);
  EXPECT_EQ(report(BadRequest("x")).exit_code, exit_code::bad_input);
  EXPECT_EQ(report(ConfigurationError("x")).http_status, 400);
  EXPECT_EQ(report(RunNotFoundError("r")).http_status, 404);
  EXPECT_EQ(report(RunNotFoundError("r")).exit_code, exit_code::not_found);
  EXPECT_EQ(report(NotRegisteredError("w")).code, "not_found");
  EXPECT_EQ(report(InvalidTransitionError("t")).http_status, 409);
  EXPECT_EQ(report(InvalidTransitionError("t")).exit_code, exit_code::invalid_transition);
  EXPECT_EQ(report(StorageError("s")).http_status, 503);
  EXPECT_EQ(report(StorageError("s")).exit_code, exit_code::storage_unavailable);
  EXPECT_EQ(report(std::runtime_error("?")).http_status, 500);
  try {
    (void)Json::parse("{");
  } catch (...) {
    EXPECT_EQ(report_error(std::current_exception()).http_status, 400);
  }
  try {
    (void)Json(std::string("\xff")).dump();
  } catch (...) {
    EXPECT_EQ(report_error(std::current_exception()).http_status, 500);  // our output, not their input
  }
}

TEST(JsonText, ReplacesInvalidUtf8InsteadOfThrowing) {
  EXPECT_EQ(json_text(Json(std::string("a\xff"))), "\"a\xef\xbf\xbd\"");
  EXPECT_EQ(json_text(Json{{"k", 1}}, 2), "{\n  \"k\": 1\n}");
}

TEST(PercentDecoding, DecodesEscapesInEitherCase) {
  EXPECT_EQ(percent_decode("wrun_1%2Fchild-3", false), "wrun_1/child-3");
  EXPECT_EQ(percent_decode("%e2%82%ac%E2%82%AC", false), "\xe2\x82\xac\xe2\x82\xac");
  EXPECT_EQ(percent_decode("", false), "");
  EXPECT_EQ(percent_decode("%00", false), std::string(1, '\0'));
  EXPECT_EQ(percent_decode("a%25b", false), "a%b");  // decoded once, not twice
}

TEST(PercentDecoding, PlusIsASpaceOnlyInQueries) {
  EXPECT_EQ(percent_decode("a+b%2B", true), "a b+");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
}

TEST(PercentDecoding, RefusesTruncatedOrNonHexEscapes) {
  for (const char* bad : {"%", "%2", "a%", "%G0", "%0G", "%%", "x%2"}) EXPECT_FALSE(percent_decode(bad, false)) << bad;
}

TEST(ListenAddress, ParsesHostPortAndBracketedIpv6) {
  auto v4 = parse_listen_address("127.0.0.1:8080");
  EXPECT_EQ(v4.host, "127.0.0.1");
  EXPECT_EQ(v4.port, 8080);
  auto v6 = parse_listen_address("[::1]:0");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 0);
  EXPECT_EQ(parse_listen_address("localhost:65535").port, 65535);
  EXPECT_EQ(url_host("::1"), "[::1]");
  EXPECT_EQ(url_host("127.0.0.1"), "127.0.0.1");
}

TEST(ListenAddress, RefusesWhatIsNotExactlyHostPort) {
  for (const char* bad : {"127.0.0.1:8080x", "127.0.0.1", "127.0.0.1:", ":8080", "::1:8080", "[::1]8080", "[::1]:",
                          "[::1", "[nope]:80", "127.0.0.1:65536", "127.0.0.1:+80", "127.0.0.1:-1", "127.0.0.1: 80",
                          "127.0.0.1:123456"})
    EXPECT_THROW(parse_listen_address(bad), BadRequest) << bad;
}

TEST(ListenAddress, LoopbackIsNumericOrLocalhost) {
  for (const char* host : {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"}) EXPECT_TRUE(is_loopback(host)) << host;
  for (const char* host : {"0.0.0.0", "::", "10.0.0.1", "localhost.evil.example", "", "[::1"})
    EXPECT_FALSE(is_loopback(host)) << host;
}

}  // namespace
}  // namespace workflow::ops
