// See route_table.hpp. dispatch() applies, in this order: the method set (501), the body's size,
// encoding and framing (413, 415, 400), the browser rules (403), the bearer token on /api/
// (401, before routing so a client without it learns nothing about paths), then the table (404,
// 405 with Allow) and the row's handler.
#include "route_table.hpp"

#include "api_routes.hpp"
#include "dashboard_assets.hpp"
#include "error_report.hpp"
#include "listen_address.hpp"
#include "percent_decoding.hpp"

#include <algorithm>
#include <cctype>

namespace workflow::ops {
namespace {

// The methods any row could use, and those a client may try on a known path (405, not 501).
bool is_known_method(const std::string& method) {
  for (const char* known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
    if (method == known) return true;
  return false;
}

HttpResponse asset_response(const DashboardAsset& asset) {
  HttpResponse response;
  response.headers.emplace_back("Content-Type", std::string(asset.content_type) + "; charset=utf-8");
  response.body = std::string(asset.body);
  return response;
}

// The API's rows (api_routes.cpp), then one per file of the dashboard.
const std::vector<Route>& routes() {
  static const std::vector<Route> table = [] {
    auto rows = api_routes();
    for (const auto& asset : dashboard_assets()) {
      std::vector<std::string> pattern;
      if (asset.path != "/") pattern.emplace_back(asset.path.substr(1));
      rows.push_back({"GET", pattern, Access::dashboard, [&asset](const RouteContext&) { return asset_response(asset); }});
    }
    return rows;
  }();
  return table;
}

// Nothing this server sends is meant to be framed by another site (clickjacking the dashboard's
// buttons); the two framing headers cover current and older browsers.
void add_common_headers(HttpResponse& response) {
  response.headers.emplace_back("Content-Security-Policy", "frame-ancestors 'none'");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
}

HttpResponse too_large() {
  return error_response(413, "payload_too_large", "the request body is larger than the server accepts (--max-body)");
}

bool matches(const Route& route, const std::vector<std::string>& segments) {
  if (route.pattern.size() != segments.size()) return false;
  for (std::size_t i = 0; i < segments.size(); ++i)
    if (route.pattern[i] != "*" && route.pattern[i] != segments[i]) return false;
  return true;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Equal-time comparison, so response times do not reveal how much of a guessed token was right.
bool same_secret(std::string_view given, const std::string& expected) {
  if (given.size() != expected.size()) return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < given.size(); ++i) difference |= static_cast<unsigned char>(given[i] ^ expected[i]);
  return difference == 0;
}

// `host:port` or `[v6]:port` -> host.
std::string host_of(std::string_view authority) {
  if (!authority.empty() && authority.front() == '[') return std::string(authority.substr(0, authority.find(']') + 1));
  return std::string(authority.substr(0, authority.rfind(':')));
}

// Protection for browsers' sake. Without a token the server trusts loopback, so a web page the
// operator visits must not reach it: a DNS-rebinding page arrives with a foreign Host header, and
// a cross-site request (a form POST needs no preflight) with a foreign Origin. Returns why a
// request is refused, or nothing.
std::optional<std::string> refused_by_browser_rules(const HttpRequest& request, bool token_required) {
  // With a token, a cross-site page cannot authenticate (it cannot set the Authorization header),
  // and a TLS proxy in front changes the scheme browsers send: neither rule then.
  if (token_required) return std::nullopt;
  auto host = std::string(request.header("Host").value_or(""));
  if (!is_loopback(host_of(host)))
    return "the Host header '" + host + "' is not a loopback address; this server serves loopback only";
  auto origin = request.header("Origin").value_or("");
  bool changes_state = request.method != "GET" && request.method != "HEAD" && request.method != "OPTIONS";
  if (changes_state && !origin.empty() && origin != "http://" + host)
    return "cross-origin request from " + std::string(origin) +
           " refused: runs are changed only by this server's own pages or by clients that send no Origin";
  return std::nullopt;
}

// The scheme is case-insensitive (RFC 9110 section 11.1); the token is not.
bool has_bearer_token(const HttpRequest& request, const std::string& token) {
  auto header = trimmed(request.header("Authorization").value_or(""));
  auto space = header.find(' ');
  if (space == std::string_view::npos || !equal_ignoring_case(header.substr(0, space), "Bearer")) return false;
  return same_secret(trimmed(header.substr(space + 1)), token);
}

// Protocol-level refusals, before anything about the path is looked at.
std::optional<HttpResponse> refused_request(const HttpRequest& request, const ServerRules& rules) {
  if (!is_known_method(request.method))
    return error_response(501, "not_implemented",
                          "the method '" + request.method + "' is not implemented by this server (it serves GET, "
                          "HEAD and POST)");
  if (request.body.size() > rules.max_body_bytes)
    return too_large();
  auto encoding = trimmed(request.header("Content-Encoding").value_or("identity"));
  if (!equal_ignoring_case(encoding, "identity"))
    return error_response(415, "unsupported_media_type",
                          "Content-Encoding '" + std::string(encoding) +
                              "' is not accepted: send the request body uncompressed");
  if (request.method == "POST" && !request.header("Content-Length") && !request.header("Transfer-Encoding"))
    return error_response(400, "bad_request", "a POST needs a Content-Length header, 0 when it has no body");
  return std::nullopt;
}

HttpResponse route(const HttpRequest& request, const ServerRules& rules) {
  if (auto refusal = refused_request(request, rules)) return std::move(*refusal);
  if (auto refusal = refused_by_browser_rules(request, !rules.token.empty()))
    return error_response(403, "forbidden", *refusal);

  std::string_view target = request.target;
  auto question = target.find('?');
  auto path = target.substr(0, question);
  if (path.empty() || path.front() != '/') throw BadRequest("the request target must be a path starting with '/'");
  // Split before decoding: an encoded '/' belongs to its segment (run IDs may contain one).
  std::vector<std::string> raw_segments;
  for (std::size_t begin = 0; begin <= path.size();) {
    auto end = std::min(path.find('/', begin), path.size());
    if (end > begin) raw_segments.emplace_back(path.substr(begin, end - begin));
    begin = end + 1;
  }
  RouteContext context{request, {}, {}};
  if (question != std::string_view::npos) {
    auto query = target.substr(question + 1);
    for (std::size_t begin = 0; begin <= query.size();) {
      auto end = std::min(query.find('&', begin), query.size());
      auto pair = query.substr(begin, end - begin);
      begin = end + 1;
      if (pair.empty()) continue;
      auto equals = std::min(pair.find('='), pair.size());
      auto name = percent_decode(pair.substr(0, equals), true);
      auto value = percent_decode(equals < pair.size() ? pair.substr(equals + 1) : "", true);
      if (!name || !value) throw BadRequest("the query string has a '%' not followed by two hex digits");
      context.query.emplace_back(std::move(*name), std::move(*value));
    }
  }
  std::vector<std::string> segments;
  for (const auto& raw : raw_segments) {
    auto decoded = percent_decode(raw, false);
    if (!decoded) throw BadRequest("the path has a '%' not followed by two hex digits");
    segments.push_back(std::move(*decoded));
  }

  const Route* found = nullptr;
  std::vector<std::string> allowed;
  bool query_token = false;
  for (const auto& row : routes()) {
    if (!matches(row, segments)) continue;
    query_token = query_token || row.access == Access::api_or_query;
    if (std::find(allowed.begin(), allowed.end(), row.method) == allowed.end()) allowed.push_back(row.method);
    if (row.method == request.method || (row.method == "GET" && request.method == "HEAD")) found = &row;
  }
  bool api = !segments.empty() && segments[0] == "api";
  // The metrics name every workflow and count its runs: as private as the API.
  bool metrics = segments.size() == 1 && segments[0] == "metrics";
  if ((api || metrics) && !rules.token.empty()) {
    bool authorised = has_bearer_token(request, rules.token);
    if (!authorised && query_token)
      if (auto given = context.parameter("access_token")) authorised = same_secret(*given, rules.token);
    if (!authorised) {
      auto response = error_response(401, "unauthorized",
                                     request.header("Authorization")
                                         ? "the bearer token is wrong"
                                         : "this server needs a bearer token: send 'Authorization: Bearer <token>'");
      response.headers.emplace_back("WWW-Authenticate", "Bearer");
      return response;
    }
  }
  if (allowed.empty()) {
    if (api) throw NotFound("no API resource at " + std::string(path) + " (see docs/rest-api.md)");
    throw NotFound("nothing at " + std::string(path));
  }
  if (!found) {
    std::string list;
    for (const auto& method : allowed) list += (list.empty() ? "" : ", ") + method;
    std::string where;
    for (std::size_t i = 0; i < std::min<std::size_t>(segments.size(), 2); ++i) where += "/" + segments[i];
    if (segments.size() > 2) where += "/...";
    auto response = error_response(405, "method_not_allowed",
                                   request.method + " is not allowed on " + (where.empty() ? "/" : where) +
                                       "; use " + list);
    response.headers.emplace_back("Allow", list);
    return response;
  }
  for (std::size_t i = 0; i < segments.size(); ++i)
    if (found->pattern[i] == "*") context.captures.push_back(segments[i]);
  return found->handler(context);
}

}  // namespace

std::optional<std::string_view> HttpRequest::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (equal_ignoring_case(key, name)) return std::string_view(value);
  return std::nullopt;
}

HttpResponse error_response(int status, const std::string& code, const std::string& message) {
  return json_response(status, {{"error", {{"status", status}, {"code", code}, {"message", message}}}});
}

HttpResponse dispatch(const HttpRequest& request, const ServerRules& rules) {
  HttpResponse response;
  try {
    response = route(request, rules);
  } catch (...) {
    auto report = report_error(std::current_exception());
    response = error_response(report.http_status, report.code, report.message);
  }
  add_common_headers(response);
  return response;
}

HttpResponse payload_too_large_response() {
  auto response = too_large();
  add_common_headers(response);
  return response;
}

}  // namespace workflow::ops
