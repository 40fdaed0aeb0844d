// Unit tests of dispatch() (route_table.hpp) for the rules that need no journal: methods, body
// framing and size, content encoding, browser rules, bearer tokens, 404/405 and the headers every
// response carries. The endpoints themselves are covered end to end by rest_test.py.
#include "route_table.hpp"

#include <workflow/serialization.hpp>

#include <gtest/gtest.h>

namespace workflow::ops {
namespace {

HttpRequest request(std::string method, std::string target, HttpHeaders headers = {}, std::string body = "") {
  headers.emplace_back("Host", "127.0.0.1:8080");
  return {std::move(method), std::move(target), std::move(headers), std::move(body)};
}

std::string header(const HttpResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers)
    if (key == name) return value;
  return "";
}

Json error_of(const HttpResponse& response) { return Json::parse(response.body).at("error"); }

TEST(RouteTable, UnknownMethodsAre501) {
  for (const char* method : {"TRACE", "CONNECT", "BREW", "get"}) {
    auto response = dispatch(request(method, "/api/workflows"), {});
    EXPECT_EQ(response.status, 501) << method;
    EXPECT_EQ(error_of(response).at("code"), "not_implemented");
  }
}

TEST(RouteTable, KnownPathWithWrongMethodIs405WithAllow) {
  auto response = dispatch(request("DELETE", "/api/runs/wrun_1"), {});
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(header(response, "Allow"), "GET");
  EXPECT_EQ(error_of(response).at("message"), "DELETE is not allowed on /api/runs/...; use GET");
  EXPECT_EQ(header(dispatch(request("PUT", "/api/runs"), {}), "Allow"), "GET, POST");
  EXPECT_EQ(dispatch(request("POST", "/", {{"Content-Length", "0"}}), {}).status, 405);
}

TEST(RouteTable, UnknownPathsAre404) {
  EXPECT_EQ(error_of(dispatch(request("GET", "/api/nothing"), {})).at("code"), "not_found");
  EXPECT_EQ(dispatch(request("GET", "/api/runs/x/streams/y/z"), {}).status, 404);
  EXPECT_EQ(dispatch(request("GET", "/nothing.js"), {}).status, 404);
}

TEST(RouteTable, BodiesOverTheLimitAre413AndEncodedBodiesAre415) {
  ServerRules rules;
  rules.max_body_bytes = 1024;
  auto big = dispatch(request("POST", "/api/runs", {{"Transfer-Encoding", "chunked"}}, std::string(1025, ' ')), rules);
  EXPECT_EQ(big.status, 413);
  auto gzip = dispatch(request("POST", "/api/runs", {{"Content-Length", "3"}, {"Content-Encoding", "gzip"}}, "abc"), rules);
  EXPECT_EQ(gzip.status, 415);
  EXPECT_NE(error_of(gzip).at("message").get<std::string>().find("uncompressed"), std::string::npos);
}

TEST(RouteTable, APostNeedsALengthOrChunkedFraming) {
  auto response = dispatch(request("POST", "/api/runs/x/cancel"), {});
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(error_of(response).at("message").get<std::string>().find("needs a Content-Length"), std::string::npos);
}

TEST(RouteTable, MalformedEscapesAre400) {
  EXPECT_EQ(dispatch(request("GET", "/api/runs/%G1"), {}).status, 400);
  EXPECT_EQ(dispatch(request("GET", "/api/runs?status=%"), {}).status, 400);
  EXPECT_EQ(dispatch(request("GET", "*"), {}).status, 400);
}

TEST(RouteTable, WebhooksNeedNoBearerTokenAndTakeOnlyPosts) {
  ServerRules rules;
  rules.token = "s3cret";
  // Routed without the bearer token (a 405 comes from the table, after the token check): the
  // webhook's own token is the credential. Deliveries themselves are in webhook_test.py.
  auto get = dispatch(request("GET", "/hooks/abc"), rules);
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(header(get, "Allow"), "POST");
  EXPECT_EQ(dispatch(request("GET", "/hooks"), rules).status, 404);
  EXPECT_EQ(dispatch(request("POST", "/hooks/abc/more", {{"Content-Length", "0"}}), rules).status, 404);
}

TEST(RouteTable, BrowserRulesApplyWithoutAToken) {
  HttpRequest foreign{"GET", "/api/workflows", {{"Host", "evil.example"}}, ""};
  EXPECT_EQ(dispatch(foreign, {}).status, 403);
  auto cross = request("POST", "/api/runs/x/cancel", {{"Content-Length", "0"}, {"Origin", "https://evil.example"}});
  EXPECT_EQ(dispatch(cross, {}).status, 403);
}

TEST(RouteTable, TheTokenIsCheckedBeforeRoutingAndItsSchemeIgnoresCase) {
  ServerRules rules;
  rules.token = "s3cret";
  auto missing = dispatch(request("GET", "/api/nothing"), rules);
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(header(missing, "WWW-Authenticate"), "Bearer");
  EXPECT_EQ(dispatch(request("GET", "/api/nothing", {{"Authorization", "Bearer wrong"}}), rules).status, 401);
  for (const char* good : {"Bearer s3cret", "bearer s3cret", "BEARER  s3cret"})
    EXPECT_EQ(dispatch(request("GET", "/api/nothing", {{"authorization", good}}), rules).status, 404) << good;
  EXPECT_EQ(dispatch(request("GET", "/api/nothing?access_token=s3cret"), rules).status, 401);
  EXPECT_EQ(dispatch(request("GET", "/"), rules).status, 200);  // the dashboard needs none
}

TEST(RouteTable, EveryResponseForbidsFraming) {
  for (const auto& response : {dispatch(request("GET", "/"), {}), dispatch(request("GET", "/api/nothing"), {})}) {
    EXPECT_EQ(header(response, "X-Frame-Options"), "DENY");
    EXPECT_EQ(header(response, "Content-Security-Policy"), "frame-ancestors 'none'");
  }
  auto page = dispatch(request("HEAD", "/"), {});
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(header(page, "Content-Type"), "text/html; charset=utf-8");
}

}  // namespace
}  // namespace workflow::ops
