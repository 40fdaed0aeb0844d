// `wf serve` on cpp-httplib. Routing is done here on the raw request target, segment by segment,
// because run IDs may contain `/` (a child run started in a parallel branch is `<parent>-p1.2/child-3`):
// a client sends it percent-encoded, and it must be decoded only after the path is split.
#include "http_server.hpp"

#include "dashboard_assets.hpp"
#include "error_report.hpp"
#include "json_views.hpp"
#include "operations.hpp"

#include <workflow/errors.hpp>
#include <workflow/run.hpp>

#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <atomic>
#include <charconv>
#include <csignal>
#include <limits>
#include <optional>
#include <thread>

namespace workflow::ops {
namespace {

constexpr auto kKeepAliveEvery = std::chrono::seconds(15);
constexpr auto kStreamPoll = std::chrono::seconds(1);
// Each open tail holds one of the server's threads: past this many, a tail gets 503 and plain
// requests keep the rest.
constexpr int kServerThreads = 64;
constexpr int kMaxStreamTails = 32;

void send_json(httplib::Response& response, int status, const Json& body) {
  response.status = status;
  response.set_content(json_text(body), "application/json");
}

void send_error(httplib::Response& response, int status, const std::string& code, const std::string& message) {
  send_json(response, status, {{"error", {{"status", status}, {"code", code}, {"message", message}}}});
}

void send_exception(httplib::Response& response, std::exception_ptr error) {
  auto report = report_error(error);
  send_error(response, report.http_status, report.code, report.message);
}

// A numeric loopback address, or `localhost`: names other than that could resolve anywhere.
bool is_loopback(std::string host) {
  if (host == "localhost") return true;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

// `host:port` or `[v6]:port` -> host.
std::string host_of(const std::string& authority) {
  if (!authority.empty() && authority.front() == '[') return authority.substr(0, authority.find(']') + 1);
  return authority.substr(0, authority.rfind(':'));
}

// Protection for browsers' sake. Without a token the server trusts loopback, so a web page the
// operator visits must not reach it: a DNS-rebinding page arrives with a foreign Host header, and
// a cross-site request (a form POST needs no preflight) with a foreign Origin. Returns why a
// request is refused, or nothing.
std::optional<std::string> refused_by_browser_rules(const httplib::Request& request, bool token_required) {
  auto host = request.get_header_value("Host");
  if (!token_required && !is_loopback(host_of(host)))
    return "the Host header '" + host + "' is not a loopback address; this server serves loopback only";
  // With a token, a cross-site page cannot authenticate (it cannot set the Authorization header),
  // and a TLS proxy in front changes the scheme browsers send: no Origin rule then.
  if (token_required) return std::nullopt;
  auto origin = request.get_header_value("Origin");
  bool changes_state = request.method != "GET" && request.method != "HEAD" && request.method != "OPTIONS";
  if (changes_state && !origin.empty() && origin != "http://" + host)
    return "cross-origin request from " + origin + " refused: runs are changed only by this server's own pages "
           "or by clients that send no Origin";
  return std::nullopt;
}

std::optional<std::int64_t> parse_index(const std::string& text) {
  std::int64_t value = 0;
  auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (problem != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Equal-time comparison, so response times do not reveal how much of a guessed token was right.
bool same_secret(const std::string& given, const std::string& expected) {
  if (given.size() != expected.size()) return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < given.size(); ++i) difference |= static_cast<unsigned char>(given[i] ^ expected[i]);
  return difference == 0;
}

struct ApiRequest {
  std::string method;
  std::vector<std::string> path;  // decoded segments after /api/
  const httplib::Request& http;
};

std::vector<std::string> split_path(const std::string& target) {
  auto path = target.substr(0, target.find('?'));
  std::vector<std::string> segments;
  std::size_t begin = 0;
  while (begin <= path.size()) {
    auto end = path.find('/', begin);
    if (end == std::string::npos) end = path.size();
    if (end > begin) segments.push_back(httplib::detail::decode_url(path.substr(begin, end - begin), false));
    begin = end + 1;
  }
  return segments;
}

Json request_body(const httplib::Request& request, bool required) {
  if (request.body.empty()) {
    if (required) throw BadRequest("the request needs a JSON body");
    return Json::object();
  }
  auto body = parse_json(request.body, "the request body");
  if (!body.is_object()) throw BadRequest("the request body must be a JSON object");
  return body;
}

std::atomic<int> g_open_tails{0};

// One of the kMaxStreamTails places, reserved before the tail opens and held for as long as the
// response's content provider lives.
struct TailSlot {
  TailSlot() = default;
  ~TailSlot() {
    if (held) --g_open_tails;
  }
  TailSlot(const TailSlot&) = delete;
  /// Takes a place if one is free.
  bool reserve() {
    held = ++g_open_tails <= kMaxStreamTails;
    if (!held) --g_open_tails;
    return held;
  }
  bool held = false;
};

// Streams one run's stream as server-sent events until it ends or the client goes away.
void tail_stream(const std::string& run_id, const std::string& name_space, const httplib::Request& request,
                 httplib::Response& response) {
  auto slot = std::make_shared<TailSlot>();
  if (!slot->reserve()) {
    send_error(response, 503, "too_many_tails",
               "this server already tails " + std::to_string(kMaxStreamTails) + " streams; try again later");
    response.set_header("Retry-After", "5");
    return;
  }
  check_id(name_space, "the namespace");
  std::int64_t start = 0;
  if (request.has_param("start_index")) {
    auto index = parse_index(request.get_param_value("start_index"));
    if (!index) throw BadRequest("'start_index' must be an integer");
    start = *index;
  }
  if (request.has_header("Last-Event-ID")) {
    auto last = parse_index(request.get_header_value("Last-Event-ID"));
    if (!last || *last < 0 || *last == std::numeric_limits<std::int64_t>::max())
      throw BadRequest("'Last-Event-ID' must be a chunk index");
    start = *last + 1;  // a reconnect goes on after it
  }
  // Opened here, so an unknown run is a 404 before any event-stream header goes out.
  auto reader = std::make_shared<StreamReader>(get_run(run_id).get_readable({name_space, start}));
  response.set_header("Cache-Control", "no-cache");
  response.set_header("X-Accel-Buffering", "no");
  auto quiet_since = std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now());
  response.set_chunked_content_provider("text/event-stream", [reader, quiet_since, slot](std::size_t, httplib::DataSink& sink) {
    if (!sink.is_writable()) return false;
    try {
      auto chunk = reader->next(std::chrono::duration_cast<std::chrono::milliseconds>(kStreamPoll));
      if (!chunk) {
        static constexpr std::string_view end = "event: end\ndata: {}\n\n";
        sink.write(end.data(), end.size());
        sink.done();
        return true;
      }
      auto event = "id: " + std::to_string(reader->position() - 1) + "\ndata: " + json_text(*chunk) + "\n\n";
      *quiet_since = std::chrono::steady_clock::now();
      return sink.write(event.data(), event.size());
    } catch (const TimeoutError&) {
      if (std::chrono::steady_clock::now() - *quiet_since < kKeepAliveEvery) return true;
      *quiet_since = std::chrono::steady_clock::now();
      static constexpr std::string_view keep_alive = ": keep-alive\n\n";
      return sink.write(keep_alive.data(), keep_alive.size());
    } catch (const std::exception& error) {
      auto event = "event: error\ndata: " + json_text(Json{{"message", error.what()}}) + "\n\n";
      sink.write(event.data(), event.size());
      sink.done();
      return true;
    }
  });
}

// One API request; throws what report_error classifies. Returns false for a path the API does
// not have (404) and sets 405 itself for a known path with the wrong method.
bool handle_api(const ApiRequest& request, httplib::Response& response) {
  const auto& path = request.path;
  const auto& method = request.method;
  auto wrong_method = [&](const char* allowed) {
    response.set_header("Allow", allowed);
    send_error(response, 405, "method_not_allowed",
               method + " is not allowed on /api/" + path[0] + (path.size() > 1 ? "/..." : "") + "; use " + allowed);
    return true;
  };
  if (path.size() == 1 && path[0] == "workflows") {
    if (method != "GET") return wrong_method("GET");
    send_json(response, 200, list_workflows_json());
    return true;
  }
  if (path.empty() || path[0] != "runs") return false;
  if (path.size() == 1) {
    if (method == "GET") {
      auto query = parse_run_query([&](const char* name) -> std::optional<std::string> {
        if (!request.http.has_param(name)) return std::nullopt;
        return request.http.get_param_value(name);
      });
      send_json(response, 200, list_runs_json(query));
    } else if (method == "POST") {
      send_json(response, 201, start_run_json(request_body(request.http, true)));
    } else {
      return wrong_method("GET, POST");
    }
    return true;
  }
  const auto& run_id = path[1];
  check_id(run_id, "the run ID");
  if (path.size() == 2) {
    if (method != "GET") return wrong_method("GET");
    send_json(response, 200, run_json(run_id));
    return true;
  }
  const auto& part = path[2];
  if (path.size() == 3 && part == "events") {
    if (method == "GET") {
      send_json(response, 200, run_events_json(run_id));
    } else if (method == "POST") {
      auto body = request_body(request.http, true);
      auto type = body.find("type");
      if (type == body.end() || !type->is_string()) throw BadRequest("the request needs a \"type\" field (a string)");
      send_json(response, 202, send_event_json(run_id, type->get<std::string>(), body.value("payload", Json::object())));
    } else {
      return wrong_method("GET, POST");
    }
    return true;
  }
  if (part == "streams" && path.size() <= 4) {
    if (method != "GET") return wrong_method("GET");
    if (path.size() == 3) send_json(response, 200, run_streams_json(run_id));
    else tail_stream(run_id, path[3], request.http, response);
    return true;
  }
  if (path.size() == 3 && (part == "cancel" || part == "pause" || part == "resume" || part == "restart")) {
    if (method != "POST") return wrong_method("POST");
    send_json(response, 200, control_run_json(run_id, part));
    return true;
  }
  if (path.size() == 3 && part == "wake-up") {
    if (method != "POST") return wrong_method("POST");
    auto body = request_body(request.http, false);
    std::vector<std::string> correlation_ids;
    if (body.contains("correlation_ids")) {
      const auto& ids = body.at("correlation_ids");
      if (!ids.is_array()) throw BadRequest("\"correlation_ids\" must be an array of strings");
      for (const auto& id : ids) {
        if (!id.is_string()) throw BadRequest("\"correlation_ids\" must be an array of strings");
        correlation_ids.push_back(id.get<std::string>());
      }
    }
    send_json(response, 200, wake_up_json(run_id, correlation_ids));
    return true;
  }
  return false;
}

std::atomic<bool> g_stop_requested{false};
extern "C" void request_stop(int) { g_stop_requested = true; }

}  // namespace

void check_serve_options(const ServeOptions& options) {
  if (options.port < 0 || options.port > 65535) throw BadRequest("port " + std::to_string(options.port) + " is out of range");
  if (options.host.empty()) throw BadRequest("--listen needs a host, e.g. 127.0.0.1:8080");
  if (!is_loopback(options.host) && options.token.empty())
    throw BadRequest("wf serve: listening on " + options.host +
                     " exposes every run to the network; give a bearer token (--token or WORKFLOW_API_TOKEN)");
  if (options.max_body_bytes < 1024) throw BadRequest("--max-body must be at least 1024 bytes");
}

int serve(const ServeOptions& options) {
  check_serve_options(options);
  httplib::Server server;
  // Each open stream tail holds a thread; plain requests are short.
  server.new_task_queue = [] { return new httplib::ThreadPool(kServerThreads); };
  server.set_payload_max_length(options.max_body_bytes);
  server.set_keep_alive_max_count(10000);
  // Headers and body go out in separate writes; without this, Nagle and delayed ACKs add 40 ms.
  server.set_tcp_nodelay(true);

  server.set_pre_routing_handler([&](const httplib::Request& request, httplib::Response& response) {
    if (auto refusal = refused_by_browser_rules(request, !options.token.empty())) {
      send_error(response, 403, "forbidden", *refusal);
      return httplib::Server::HandlerResponse::Handled;
    }
    if (options.token.empty() || request.path.rfind("/api/", 0) != 0) return httplib::Server::HandlerResponse::Unhandled;
    auto header = request.get_header_value("Authorization");
    bool authorised = header.rfind("Bearer ", 0) == 0 && same_secret(header.substr(7), options.token);
    // EventSource cannot send headers: the stream tail alone (api/runs/<id>/streams/<ns>) also
    // takes the token as a parameter.
    auto segments = split_path(request.target);
    bool stream_tail = segments.size() == 5 && segments[1] == "runs" && segments[3] == "streams";
    if (!authorised && stream_tail && request.has_param("access_token"))
      authorised = same_secret(request.get_param_value("access_token"), options.token);
    if (authorised) return httplib::Server::HandlerResponse::Unhandled;
    response.set_header("WWW-Authenticate", "Bearer");
    send_error(response, 401, "unauthorized",
               header.empty() ? "this server needs a bearer token: send 'Authorization: Bearer <token>'"
                              : "the bearer token is wrong");
    return httplib::Server::HandlerResponse::Handled;
  });

  auto api = [](const char* method) {
    return [method](const httplib::Request& request, httplib::Response& response) {
      try {
        auto segments = split_path(request.target);
        segments.erase(segments.begin());  // "api"
        if (!handle_api({method, segments, request}, response))
          send_error(response, 404, "not_found", "no API resource at " + request.path + " (see docs/rest-api.md)");
      } catch (...) {
        send_exception(response, std::current_exception());
      }
    };
  };
  server.Get("/api/.*", api("GET"));
  server.Post("/api/.*", api("POST"));
  server.Put("/api/.*", api("PUT"));
  server.Patch("/api/.*", api("PATCH"));
  server.Delete("/api/.*", api("DELETE"));

  for (const auto& asset : dashboard_assets()) {
    server.Get(std::string(asset.path), [&asset](const httplib::Request&, httplib::Response& response) {
      response.set_content(asset.body.data(), asset.body.size(), std::string(asset.content_type) + "; charset=utf-8");
    });
  }

  // Errors httplib answers itself (413 for an oversized body, 404 for other paths) get the same
  // JSON body as ours.
  server.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
    if (!response.body.empty()) return;
    if (response.status == 413)
      send_error(response, 413, "payload_too_large", "the request body is larger than the server accepts (--max-body)");
    else if (response.status == 404)
      send_error(response, 404, "not_found", "nothing at " + request.path);
    else if (response.status == 400)
      send_error(response, 400, "bad_request",
                 "the request could not be read (a POST needs a Content-Length header, 0 when it has no body)");
    else if (response.status >= 500)
      send_error(response, response.status, "internal", "the server could not handle the request");
    else
      send_error(response, response.status, "bad_request", "the request could not be handled");
  });

  int port = options.port;
  if (port == 0) port = server.bind_to_any_port(options.host);
  else if (!server.bind_to_port(options.host, port)) port = -1;
  if (port < 0) {
    std::fprintf(stderr, "wf: error: cannot listen on %s:%d (in use, or not an address of this machine)\n",
                 options.host.c_str(), options.port);
    return exit_code::failure;
  }
  std::printf("wf serve: listening on http://%s:%d/ (dashboard at /, API at /api/)%s\n", options.host.c_str(), port,
              options.token.empty() ? "" : "; bearer token required");
  std::fflush(stdout);

  g_stop_requested = false;
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  std::signal(SIGPIPE, SIG_IGN);
  std::thread stopper([&server] {
    while (!g_stop_requested && !server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    while (!g_stop_requested) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    server.stop();
  });
  bool listened = server.listen_after_bind();
  g_stop_requested = true;
  stopper.join();
  return listened ? exit_code::ok : exit_code::failure;
}

}  // namespace workflow::ops
