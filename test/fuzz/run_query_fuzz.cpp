// Fuzz target run-query: the query parameters of the runs listing (`GET /api/runs?...`,
// `wf runs list --status ... --since ...`), parsed by workflow::ops::parse_run_query, and the
// ISO 8601 times it reads with parse_iso8601.
//
// An input is lines `name=value`: the parameters (the first line of a name wins). Invariants:
// nothing but BadRequest is thrown; an accepted query holds exactly the values given (status by its
// name, a limit of 1-1000, IDs check_id accepts, the time given or a time before now). parse_iso8601 accepts
// only what iso8601() writes: `YYYY-MM-DDThh:mm:ss`, an optional fraction, `Z` or `+00:00`, with a
// date that exists; iso8601() writes back the same date and time.
#include "fuzz_check.hpp"

#include "error_report.hpp"
#include "json_views.hpp"
#include "operations.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace {

using workflow::Clock;
using workflow::ops::parse_iso8601;

bool digits(std::string_view text, std::size_t from, std::size_t count) {
  for (std::size_t i = from; i < from + count; ++i)
    if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
  return true;
}

int number(std::string_view text, std::size_t from, std::size_t count) {
  int value = 0;
  for (std::size_t i = from; i < from + count; ++i) value = value * 10 + (text[i] - '0');
  return value;
}

// The grammar of iso8601()'s output, written out independently of the parser.
bool iso8601_form(std::string_view text) {
  if (!digits(text, 0, 4) || text.substr(4, 1) != "-" || !digits(text, 5, 2) || text.substr(7, 1) != "-" ||
      !digits(text, 8, 2) || text.substr(10, 1) != "T" || !digits(text, 11, 2) || text.substr(13, 1) != ":" ||
      !digits(text, 14, 2) || text.substr(16, 1) != ":" || !digits(text, 17, 2))
    return false;
  std::size_t end = 19;
  if (text.substr(end, 1) == ".") {
    std::size_t fraction = ++end;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    if (end == fraction) return false;
  }
  auto zone = text.substr(end);
  return zone == "Z" || zone == "+00:00";
}

void check_iso8601(std::string_view text) {
  auto time = parse_iso8601(text);
  if (!time) return;
  WORKFLOW_FUZZ_CHECK(iso8601_form(text));
  int month = number(text, 5, 2), day = number(text, 8, 2), hour = number(text, 11, 2);
  int minute = number(text, 14, 2), second = number(text, 17, 2);
  WORKFLOW_FUZZ_CHECK(month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 60);
  // A leap second (:60) is read as the first second of the next minute.
  if (second < 60) WORKFLOW_FUZZ_CHECK(workflow::ops::iso8601(*time).substr(0, 19) == text.substr(0, 19));
}

void check_query(const std::map<std::string, std::string>& parameters) {
  auto given = [&](const char* name) -> std::string {
    auto found = parameters.find(name);
    return found == parameters.end() ? std::string() : found->second;
  };
  workflow::RunQuery query;
  try {
    query = workflow::ops::parse_run_query([&](const char* name) -> std::optional<std::string> {
      auto found = parameters.find(name);
      if (found == parameters.end()) return std::nullopt;
      return found->second;
    });
  } catch (const workflow::ops::BadRequest&) {
    return;
  }
  auto status = given("status");
  WORKFLOW_FUZZ_CHECK(status.empty() ? !query.status : query.status && to_string(*query.status) == status);
  WORKFLOW_FUZZ_CHECK(query.workflow == given("workflow"));
  WORKFLOW_FUZZ_CHECK(query.cursor == given("cursor"));
  WORKFLOW_FUZZ_CHECK(query.limit >= 1 && query.limit <= 1000);
  auto since = given("since");
  WORKFLOW_FUZZ_CHECK(since.empty() == !query.since);
  if (query.since) {
    if (auto time = parse_iso8601(since)) WORKFLOW_FUZZ_CHECK(*query.since == *time);
    else WORKFLOW_FUZZ_CHECK(*query.since <= Clock::now());  // a duration back from now
  }
  for (const auto* id : {&query.workflow, &query.cursor})
    if (!id->empty()) workflow::ops::check_id(*id, "an accepted ID");  // throws: a finding
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::map<std::string, std::string> parameters;
  for (std::size_t begin = 0; begin <= text.size();) {
    auto end = std::min(text.find('\n', begin), text.size());
    auto line = text.substr(begin, end - begin);
    auto equals = line.find('=');
    if (equals != std::string_view::npos) {
      parameters.emplace(line.substr(0, equals), line.substr(equals + 1));
      check_iso8601(line.substr(equals + 1));
    }
    begin = end + 1;
  }
  check_query(parameters);
  return 0;
}
