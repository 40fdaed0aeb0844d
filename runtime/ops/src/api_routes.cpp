// See api_routes.hpp. The work is in operations.hpp, shared with the CLI; this file reads the
// request's body and parameters and shapes the response.
#include "api_routes.hpp"

#include "error_report.hpp"
#include "journal_metrics.hpp"
#include "json_views.hpp"
#include "operations.hpp"
#include "schedule_operations.hpp"
#include "queue_operations.hpp"
#include "retention_operations.hpp"
#include "versioning_operations.hpp"
#include "webhook_route.hpp"

#include <charconv>
#include <limits>

namespace workflow::ops {

std::optional<std::string> RouteContext::parameter(std::string_view name) const {
  for (const auto& [key, value] : query)
    if (key == name) return value;
  return std::nullopt;
}

HttpResponse json_response(int status, const Json& body) {
  HttpResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "application/json");
  response.body = json_text(body);
  return response;
}

namespace {

std::optional<std::int64_t> parse_index(std::string_view text) {
  std::int64_t value = 0;
  auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (problem != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Json request_body(const RouteContext& context, bool required) {
  const auto& text = context.request.body;
  if (text.empty()) {
    if (required) throw BadRequest("the request needs a JSON body");
    return Json::object();
  }
  auto body = parse_json(text, "the request body");
  if (!body.is_object()) throw BadRequest("the request body must be a JSON object");
  return body;
}

const std::string& run_id(const RouteContext& context) {
  check_id(context.captures.at(0), "the run ID");
  return context.captures.at(0);
}

HttpResponse control(const RouteContext& context, const char* action) {
  return json_response(200, control_run_json(run_id(context), action));
}

HttpResponse prune(const RouteContext& context) { return json_response(200, prune_runs_json(request_body(context, true))); }

HttpResponse keep(const RouteContext& context, bool kept) { return json_response(200, keep_run_json(run_id(context), kept)); }

HttpResponse list_workflows(const RouteContext&) { return json_response(200, list_workflows_json()); }

HttpResponse list_runs(const RouteContext& context) {
  auto query = parse_run_query([&](const char* name) { return context.parameter(name); });
  return json_response(200, list_runs_json(query));
}

HttpResponse start_run(const RouteContext& context) {
  return json_response(201, start_run_json(request_body(context, true)));
}

HttpResponse start_batch(const RouteContext& context) {
  return json_response(201, start_batch_json(request_body(context, true)));
}

HttpResponse show_run(const RouteContext& context) { return json_response(200, run_json(run_id(context))); }

HttpResponse list_run_events(const RouteContext& context) {
  return json_response(200, run_events_json(run_id(context)));
}

HttpResponse send_run_event(const RouteContext& context) {
  const auto& id = run_id(context);
  auto body = request_body(context, true);
  auto type = body.find("type");
  if (type == body.end() || !type->is_string()) throw BadRequest("the request needs a \"type\" field (a string)");
  return json_response(202, send_event_json(id, type->get<std::string>(), body.value("payload", Json::object())));
}

HttpResponse list_run_streams(const RouteContext& context) {
  return json_response(200, run_streams_json(run_id(context)));
}

HttpResponse tail_run_stream(const RouteContext& context) {
  const auto& id = run_id(context);
  const auto& name_space = context.captures.at(1);
  check_id(name_space, "the namespace");
  std::int64_t start = 0;
  if (auto text = context.parameter("start_index")) {
    auto index = parse_index(*text);
    if (!index) throw BadRequest("'start_index' must be an integer");
    start = *index;
  }
  if (auto text = context.request.header("Last-Event-ID")) {
    auto last = parse_index(*text);
    if (!last || *last < 0 || *last == std::numeric_limits<std::int64_t>::max())
      throw BadRequest("'Last-Event-ID' must be a chunk index");
    start = *last + 1;  // a reconnect goes on after it
  }
  auto tail = StreamTail::open(id, name_space, start);
  if (!tail) {
    auto response = error_response(503, "too_many_tails", "this server already tails " +
                                                              std::to_string(kMaxStreamTails) +
                                                              " streams; try again later");
    response.headers.emplace_back("Retry-After", "5");
    return response;
  }
  HttpResponse response;
  response.headers = {{"Content-Type", "text/event-stream"}, {"Cache-Control", "no-cache"}, {"X-Accel-Buffering", "no"}};
  response.tail = std::move(tail);
  return response;
}


HttpResponse wake_up_run(const RouteContext& context) {
  const auto& id = run_id(context);
  auto body = request_body(context, false);
  std::vector<std::string> correlation_ids;
  if (body.contains("correlation_ids")) {
    const auto& ids = body.at("correlation_ids");
    if (!ids.is_array()) throw BadRequest("\"correlation_ids\" must be an array of strings");
    for (const auto& entry : ids) {
      if (!entry.is_string()) throw BadRequest("\"correlation_ids\" must be an array of strings");
      correlation_ids.push_back(entry.get<std::string>());
    }
  }
  return json_response(200, wake_up_json(id, correlation_ids));
}

HttpResponse list_queues(const RouteContext&) { return json_response(200, list_queues_json()); }

HttpResponse show_queue(const RouteContext& context) { return json_response(200, queue_json(context.captures.at(0))); }

HttpResponse journal_metrics(const RouteContext&) {
  HttpResponse response;
  response.headers.emplace_back("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  response.body = journal_metrics_text(count_runs(), std::chrono::system_clock::now(), journal_usage());
  return response;
}

HttpResponse replay_check(const RouteContext& context) {
  return json_response(200, replay_check_json(request_body(context, false)));
}

HttpResponse upgrade(const RouteContext& context) { return json_response(200, upgrade_json(request_body(context, true))); }

}  // namespace

const std::vector<Route>& api_routes() {
  auto control_by = [](const char* action) {
    return [action](const RouteContext& context) { return control(context, action); };
  };
  static const std::vector<Route> table = [&] {
    std::vector<Route> rows = {
      {"GET", {"api", "workflows"}, Access::api, list_workflows},
      {"GET", {"api", "runs"}, Access::api, list_runs},
      {"POST", {"api", "runs"}, Access::api, start_run},
      {"POST", {"api", "runs", "batch"}, Access::api, start_batch},
      {"POST", {"api", "runs", "prune"}, Access::api, prune},
      {"GET", {"api", "runs", "*"}, Access::api, show_run},
      {"GET", {"api", "runs", "*", "events"}, Access::api, list_run_events},
      {"POST", {"api", "runs", "*", "events"}, Access::api, send_run_event},
      {"GET", {"api", "runs", "*", "streams"}, Access::api, list_run_streams},
      {"GET", {"api", "runs", "*", "streams", "*"}, Access::api_or_query, tail_run_stream},
      {"POST", {"api", "runs", "*", "cancel"}, Access::api, control_by("cancel")},
      {"POST", {"api", "runs", "*", "pause"}, Access::api, control_by("pause")},
      {"POST", {"api", "runs", "*", "resume"}, Access::api, control_by("resume")},
      {"POST", {"api", "runs", "*", "restart"}, Access::api, control_by("restart")},
      {"POST", {"api", "runs", "*", "wake-up"}, Access::api, wake_up_run},
      {"POST", {"api", "runs", "*", "keep"}, Access::api, [](const RouteContext& context) { return keep(context, true); }},
      {"DELETE", {"api", "runs", "*", "keep"}, Access::api, [](const RouteContext& context) { return keep(context, false); }},
      {"GET", {"api", "queues"}, Access::api, list_queues},
      {"GET", {"api", "queues", "*"}, Access::api, show_queue},
      {"POST", {"api", "replay-check"}, Access::api, replay_check},
      {"POST", {"api", "upgrade"}, Access::api, upgrade},
      {"POST", {"hooks", "*"}, Access::webhook, post_webhook},
      {"GET", {"metrics"}, Access::api, journal_metrics},
    };
    for (auto& route : schedule_routes()) rows.push_back(std::move(route));
    return rows;
  }();
  return table;
}

}  // namespace workflow::ops
