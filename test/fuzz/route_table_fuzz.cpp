// Fuzz target route-table: every request `wf serve` answers, through workflow::ops::dispatch, the
// pure function from request to response of route_table.hpp (branch http-server; this target is
// built only where that header exists, see CMakeLists.txt).
//
// An input is a request as text: a line `METHOD target`, header lines `Name: value`, an empty line,
// then the body. Each is dispatched twice, without a token (the loopback rules) and with the token
// `t0ken`, against an empty journal. Invariants: dispatch never throws; the status is 100-599; no
// answer is 500 `internal` (every refusal is classified); an error is the JSON body of
// docs/rest-api.md `{"error": {"status", "code", "message"}}` with its status; a JSON answer
// parses; a stream tail comes only with 200; without the token nothing under /api/ succeeds.
#include "fuzz_check.hpp"
#include "fuzz_journal.hpp"

#include "route_table.hpp"

#include <workflow/serialization.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

namespace ops = workflow::ops;

ops::HttpRequest parse_request(std::string_view text) {
  ops::HttpRequest request;
  auto line_end = std::min(text.find('\n'), text.size());
  auto request_line = text.substr(0, line_end);
  auto space = std::min(request_line.find(' '), request_line.size());
  request.method = std::string(request_line.substr(0, space));
  request.target = std::string(request_line.substr(std::min(space + 1, request_line.size())));
  for (auto begin = line_end + 1; begin < text.size();) {
    auto end = std::min(text.find('\n', begin), text.size());
    auto line = text.substr(begin, end - begin);
    begin = end + 1;
    if (line.empty()) {
      request.body = std::string(text.substr(std::min(begin, text.size())));
      break;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    auto value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    request.headers.emplace_back(line.substr(0, colon), value);
  }
  return request;
}

bool is_json(const ops::HttpResponse& response) {
  for (const auto& [name, value] : response.headers)
    if (name == "Content-Type" && value.rfind("application/json", 0) == 0) return true;
  return false;
}

void check_response(const ops::HttpRequest& request, const ops::ServerRules& rules) {
  auto response = ops::dispatch(request, rules);  // "never throws": an exception aborts the run
  WORKFLOW_FUZZ_CHECK(response.status >= 100 && response.status <= 599);
  if (response.tail) WORKFLOW_FUZZ_CHECK(response.status == 200);
  if (is_json(response) && !response.body.empty()) {
    auto body = workflow::Json::parse(response.body);  // throws: a finding
    if (response.status >= 400) {
      WORKFLOW_FUZZ_CHECK(body.contains("error") && body["error"].is_object());
      WORKFLOW_FUZZ_CHECK(body["error"].value("status", 0) == response.status);
      WORKFLOW_FUZZ_CHECK(body["error"].value("code", std::string()) != "internal");
    }
  }
  bool authorized = false;
  for (const auto& [name, value] : request.headers) authorized = authorized || value.find(rules.token) != std::string::npos;
  if (!rules.token.empty() && !authorized && request.target.rfind("/api/", 0) == 0)
    WORKFLOW_FUZZ_CHECK(response.status >= 400);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static FuzzJournal journal("route_table_fuzz");
  auto request = parse_request(std::string_view(reinterpret_cast<const char*>(data), size));
  check_response(request, ops::ServerRules{});
  ops::ServerRules with_token;
  with_token.token = "t0ken";
  check_response(request, with_token);
  return 0;
}
