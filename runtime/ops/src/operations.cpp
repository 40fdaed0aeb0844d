// Operations shared by `wf` and `wf serve`.
#include "operations.hpp"

#include "error_report.hpp"
#include "json_views.hpp"
#include "queue_operations.hpp"

#include <workflow/detail/bounded_json.hpp>
#include <workflow/errors.hpp>
#include <workflow/run.hpp>
#include <workflow/start.hpp>

#include <charconv>
#include <cstdint>

namespace workflow::ops {
namespace {

// How far back `since=15m` reaches.
std::optional<Clock::duration> parse_duration(const std::string& text) {
  if (text.size() < 2) return std::nullopt;
  long amount = 0;
  auto [end, problem] = std::from_chars(text.data(), text.data() + text.size() - 1, amount);
  if (problem != std::errc() || end != text.data() + text.size() - 1 || amount < 0 || amount > 100000)
    return std::nullopt;
  switch (text.back()) {
    case 's': return std::chrono::seconds(amount);
    case 'm': return std::chrono::minutes(amount);
    case 'h': return std::chrono::hours(amount);
    case 'd': return std::chrono::hours(24 * amount);
    default: return std::nullopt;
  }
}


}  // namespace

std::string string_field(const Json& request, const char* name, bool required) {
  auto found = request.find(name);
  if (found == request.end() || found->is_null()) {
    if (required) throw BadRequest(std::string("the request needs a \"") + name + "\" field (a string)");
    return {};
  }
  if (!found->is_string()) throw BadRequest(std::string("\"") + name + "\" must be a string");
  return found->get<std::string>();
}

namespace {

// Strict UTF-8 (no overlong forms, surrogates or code points past U+10FFFF): IDs go back out in
// JSON, which must be valid UTF-8.
bool valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xe ? 3 : (byte >> 3) == 0x1e ? 4 : 0;
    if (length == 0 || i + length > text.size()) return false;
    std::uint32_t code = length == 1 ? byte : byte & (0xff >> (length + 1));
    for (std::size_t k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next >> 6) != 0x2) return false;
      code = (code << 6) | (next & 0x3f);
    }
    static constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kSmallest[length] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return false;
    i += length;
  }
  return true;
}

}  // namespace

void check_id(const std::string& id, const char* what) {
  if (id.empty()) throw BadRequest(std::string(what) + " must not be empty");
  if (id.size() > 256) throw BadRequest(std::string(what) + " is longer than 256 bytes");
  for (unsigned char c : id) {
    if (c < 0x20 || c == 0x7f) throw BadRequest(std::string(what) + " must not contain control characters");
  }
  if (!valid_utf8(id)) throw BadRequest(std::string(what) + " is not valid UTF-8");
}

TimePoint parse_time_or_age(const std::string& text, const char* what) {
  if (auto back = parse_duration(text)) return Clock::now() - *back;
  if (auto time = parse_iso8601(text)) return *time;
  throw BadRequest(std::string("'") + what + "' is '" + text +
                   "': give an ISO 8601 time (2026-12-01T10:00:00Z) or a duration back from now (30s, 15m, 2h, 7d)");
}

RunQuery parse_run_query(const std::function<std::optional<std::string>(const char* name)>& parameter) {
  RunQuery query;
  if (auto status = parameter("status"); status && !status->empty()) {
    query.status = parse_run_status(*status);
    if (!query.status)
      throw BadRequest("unknown status '" + *status +
                       "': use pending, running, waiting, paused, completed, failed or cancelled");
  }
  if (auto workflow = parameter("workflow"); workflow && !workflow->empty()) {
    check_id(*workflow, "the workflow ID");
    query.workflow = *workflow;
  }
  if (auto since = parameter("since"); since && !since->empty()) query.since = parse_time_or_age(*since, "since");
  if (auto limit = parameter("limit"); limit && !limit->empty()) {
    std::size_t value = 0;
    auto [end, problem] = std::from_chars(limit->data(), limit->data() + limit->size(), value);
    if (problem != std::errc() || end != limit->data() + limit->size() || value < 1 || value > 1000)
      throw BadRequest("'limit' is '" + *limit + "': give a number from 1 to 1000");
    query.limit = value;
  }
  if (auto cursor = parameter("cursor"); cursor && !cursor->empty()) {
    check_id(*cursor, "the cursor");
    query.cursor = *cursor;
  }
  return query;
}

Json parse_json(const std::string& text, const char* what) {
  try {
    return detail::parse_bounded_json(text);
  } catch (const Json::parse_error& error) {
    throw BadRequest(std::string(what) + " is not valid JSON: " + error.what());
  } catch (const detail::JsonTooDeepError& error) {
    throw BadRequest(std::string(what) + " is refused: " + error.what());
  }
}

Json list_workflows_json() {
  Json workflows = Json::array();
  for (const auto& workflow : list_workflows()) workflows.push_back(to_json(workflow));
  return {{"workflows", std::move(workflows)}};
}

Json list_runs_json(const RunQuery& query) {
  auto page = list_runs(query);
  Json runs = Json::array();
  for (const auto& run : page.runs) runs.push_back(to_json(run));
  return {{"runs", std::move(runs)}, {"next_cursor", page.next_cursor.empty() ? Json() : Json(page.next_cursor)}};
}

Json run_json(const std::string& run_id) {
  check_id(run_id, "the run ID");
  return to_json(inspect_run(run_id));
}

Json run_summary_json(const std::string& run_id) {
  check_id(run_id, "the run ID");
  return to_json(inspect_run(run_id).summary);
}

Json run_events_json(const std::string& run_id) {
  check_id(run_id, "the run ID");
  Json events = Json::array();
  std::int64_t sequence = 0;
  for (const auto& event : get_run(run_id).events()) events.push_back(to_json(event, ++sequence));
  return {{"events", std::move(events)}};
}

Json run_streams_json(const std::string& run_id) {
  check_id(run_id, "the run ID");
  Json streams = Json::array();
  for (const auto& stream : get_run(run_id).streams()) streams.push_back(to_json(stream));
  return {{"streams", std::move(streams)}};
}

namespace {

// `{"args": [...], "id"?}` of one run to start; BadRequest naming `where` in the request.
std::pair<std::string, Json> run_to_start(const Json& request, const std::string& where) {
  if (!request.is_object()) throw BadRequest(where + " must be a JSON object: {\"args\": [...], \"id\": ...}");
  Json args = request.value("args", Json::array());
  if (!args.is_array()) throw BadRequest(where + ": \"args\" must be a JSON array of the workflow's arguments");
  auto id = string_field(request, "id", false);
  if (!id.empty()) check_id(id, "the run ID");
  return {id, std::move(args)};
}

// The request's `deployment_id`: `latest` when absent, else one that registered `workflow`.
std::string deployment_to_start_on(const Json& request, const std::string& workflow) {
  auto deployment = string_field(request, "deployment_id", false);
  if (deployment.empty()) return "latest";  // checked by the start: some deployment registered it
  if (deployment == "latest") return deployment;
  check_id(deployment, "the deployment ID");
  for (const auto& known : list_workflows())
    if (known.id == workflow && known.deployment_id == deployment) return deployment;
  throw NotFound("deployment " + deployment + " has not registered workflow '" + workflow +
                 "'; nothing was started (`wf workflows list` shows which deployments have it)");
}

}  // namespace

Json start_run_json(const Json& request) {
  if (!request.is_object()) throw BadRequest("the request must be a JSON object: {\"workflow\": ..., \"args\": [...]}");
  auto workflow = string_field(request, "workflow", true);
  check_id(workflow, "the workflow ID");
  auto [id, args] = run_to_start(request, "the request");
  StartOptions options;
  options.id = id;
  options.deployment_id = deployment_to_start_on(request, workflow);
  read_queue_fields(request, options);
  auto run = start_by_id(options, workflow, std::move(args));
  auto summary = inspect_run(run.run_id()).summary;
  Json result = {{"run", to_json(summary)}};
  if (summary.position > 0)
    result["note"] = "run " + summary.id + " waits in queue " + summary.queue + " at position " +
                     std::to_string(summary.position) + " (`wf queues show " + summary.queue + "`)";
  else if (summary.status == RunStatus::pending)
    result["note"] = "run " + summary.id + " is pending: it starts when a worker of deployment " +
                     summary.deployment_id + " that has workflow " + workflow + " claims it";
  return result;
}

Json start_batch_json(const Json& request) {
  if (!request.is_object())
    throw BadRequest("the request must be a JSON object: {\"workflow\": ..., \"runs\": [{\"args\": [...]}, ...]}");
  auto workflow = string_field(request, "workflow", true);
  check_id(workflow, "the workflow ID");
  auto runs = request.find("runs");
  if (runs == request.end() || !runs->is_array())
    throw BadRequest("the request needs a \"runs\" array: one {\"args\": [...], \"id\"?: ...} per run");
  std::vector<std::pair<std::string, Json>> batch;
  batch.reserve(runs->size());
  for (std::size_t i = 0; i < runs->size(); ++i) batch.push_back(run_to_start((*runs)[i], "runs[" + std::to_string(i) + "]"));
  StartOptions options;
  options.deployment_id = deployment_to_start_on(request, workflow);
  read_queue_fields(request, options);
  Json ids = Json::array();
  for (const auto& run : start_batch_by_id(options, workflow, std::move(batch))) ids.push_back(run.run_id());
  return {{"workflow", workflow}, {"started", ids.size()}, {"run_ids", std::move(ids)}};
}

Json control_run_json(const std::string& run_id, const std::string& action) {
  check_id(run_id, "the run ID");
  auto run = get_run(run_id);
  if (action == "cancel") run.cancel();
  else if (action == "pause") run.pause();
  else if (action == "resume") run.resume();
  else if (action == "restart") run.restart();
  else throw NotFound("no run action '" + action + "': use cancel, pause, resume or restart");
  return {{"run", run_summary_json(run_id)}};
}

Json wake_up_json(const std::string& run_id, const std::vector<std::string>& correlation_ids) {
  check_id(run_id, "the run ID");
  for (const auto& id : correlation_ids) check_id(id, "a correlation ID");
  auto woken = get_run(run_id).wake_up(correlation_ids);
  return {{"woken", woken}, {"run", run_summary_json(run_id)}};
}

Json send_event_json(const std::string& run_id, const std::string& type, const Json& payload) {
  check_id(run_id, "the run ID");
  check_id(type, "the event type");
  get_run(run_id).send_event(type, payload);
  return {{"run", run_summary_json(run_id)}};
}

}  // namespace workflow::ops
