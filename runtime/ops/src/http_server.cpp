// `wf serve` on libmicrohttpd: the glue between its callbacks and dispatch() (route_table.hpp).
// libmicrohttpd polls sockets with epoll on a few threads, so slow or idle clients hold no thread
// (answers are computed on a WorkPool while the connection is suspended);
// it bounds connections in total and per client address, and the inactivity time. What it does
// not bound is the time to receive a whole request: ConnectionGuard does. Bodies are counted here
// as they arrive (after chunked framing is decoded), so --max-body holds whatever the framing.
#include "http_server.hpp"

#include "connection_guard.hpp"
#include "error_report.hpp"
#include "listen_address.hpp"
#include "route_table.hpp"
#include "tail_pump.hpp"
#include "work_pool.hpp"

#include <microhttpd.h>

#include <netdb.h>
#include <netinet/in.h>
#include <sys/resource.h>

#include <atomic>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <strings.h>
#include <optional>
#include <thread>

namespace workflow::ops {
namespace {

// The polling threads only move bytes: answers are computed on WorkPool threads, tails wait on
// threads of their own.
constexpr unsigned kPollingThreads = 2;
// Per connection, for the request head and the read and write buffers; a head that does not fit
// is answered 431 by the library.
constexpr std::size_t kConnectionMemory = 32 * 1024;
// A connection with no traffic at all for this long is closed (tails send a comment every 15 s).
constexpr unsigned kInactivitySeconds = 60;

// Threads that answer requests (dispatch() runs journal queries and commits); tails have their
// own. As many as a server used to have for connections, so concurrent starts still share commits.
constexpr unsigned kAnswerThreads = 32;

struct RequestState {
  std::string body;
  bool answered = false;
  // Set by a WorkPool thread while the connection is suspended; queued once it is resumed.
  std::optional<HttpResponse> response;
};

struct Server {
  ServerRules rules;
  ConnectionGuard guard;
  WorkPool answerers{kAnswerThreads};
  std::atomic<bool> started{false};
};

MHD_Result collect_header(void* cls, MHD_ValueKind, const char* key, const char* value) {
  static_cast<HttpHeaders*>(cls)->emplace_back(key, value ? value : "");
  return MHD_YES;
}

// The library splits the query off and, with the unescaper below, leaves both raw: the target
// is put back together as sent, for dispatch() to split and decode.
MHD_Result collect_argument(void* cls, MHD_ValueKind, const char* key, const char* value) {
  auto& query = *static_cast<std::string*>(cls);
  query += (query.empty() ? "?" : "&") + std::string(key) + (value ? "=" + std::string(value) : "");
  return MHD_YES;
}

size_t keep_escaped(void*, MHD_Connection*, char* text) { return std::strlen(text); }

MHD_Result queue(MHD_Connection* connection, HttpResponse response) {
  MHD_Response* reply = response.tail
      ? create_tail_response(connection, std::move(response.tail))
      : MHD_create_response_from_buffer(response.body.size(), response.body.data(), MHD_RESPMEM_MUST_COPY);
  if (!reply) return MHD_NO;
  for (const auto& [name, value] : response.headers) MHD_add_response_header(reply, name.c_str(), value.c_str());
  auto queued = MHD_queue_response(connection, static_cast<unsigned>(response.status), reply);
  MHD_destroy_response(reply);
  return queued;
}

MHD_Result on_request(void* cls, MHD_Connection* connection, const char* url, const char* method, const char*,
                      const char* upload_data, size_t* upload_size, void** request_cls) {
  auto& server = *static_cast<Server*>(cls);
  auto* state = static_cast<RequestState*>(*request_cls);
  auto limit = server.rules.max_body_bytes;
  if (!state) {
    *request_cls = state = new RequestState;
    // A client that waits for `100 Continue` before sending an oversized body is answered now,
    // and sends nothing.
    auto* expect = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Expect");
    auto* length = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Content-Length");
    if (expect && strcasecmp(expect, "100-continue") == 0 && length && std::strtoull(length, nullptr, 10) > limit) {
      state->answered = true;
      server.guard.request_received(connection);
      return queue(connection, payload_too_large_response());
    }
    return MHD_YES;
  }
  if (*upload_size > 0) {
    // Past the limit the rest is read and dropped, so the client gets its 413 rather than a reset;
    // the request deadline bounds how long that takes.
    if (state->body.size() <= limit) state->body.append(upload_data, std::min(*upload_size, limit + 1 - state->body.size()));
    *upload_size = 0;
    return MHD_YES;
  }
  if (state->response) {
    auto response = std::move(*state->response);
    state->response.reset();
    return queue(connection, std::move(response));
  }
  if (state->answered) return MHD_YES;
  state->answered = true;
  server.guard.request_received(connection);
  HttpRequest request{method, url, {}, std::move(state->body)};
  MHD_get_connection_values(connection, MHD_HEADER_KIND, collect_header, &request.headers);
  std::string query;
  MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, collect_argument, &query);
  request.target += query;
  // The connection stays suspended (neither polled nor closed) until the answer is ready; then
  // the library calls this handler again, which queues it.
  MHD_suspend_connection(connection);
  server.answerers.post([&server, connection, state, request = std::move(request)] {
    state->response = dispatch(request, server.rules);
    MHD_resume_connection(connection);
  });
  return MHD_YES;
}

void on_completed(void* cls, MHD_Connection* connection, void** request_cls, MHD_RequestTerminationCode) {
  delete static_cast<RequestState*>(*request_cls);
  *request_cls = nullptr;
  static_cast<Server*>(cls)->guard.response_sent(connection);
}

// The library calls this with CLOSED before it closes the socket (daemon.c, cleanup of closed
// connections), which ConnectionGuard relies on.
void on_connection(void* cls, MHD_Connection* connection, void**, MHD_ConnectionNotificationCode code) {
  auto& guard = static_cast<Server*>(cls)->guard;
  if (code == MHD_CONNECTION_NOTIFY_STARTED)
    guard.opened(connection, MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD)->connect_fd);
  else
    guard.closed(connection);
}

// The library's messages explain a failure to start; once serving, they would only log every
// client that misbehaves, which the client is told already.
void log_library_message(void* cls, const char* format, va_list arguments) {
  if (static_cast<Server*>(cls)->started) return;
  std::fputs("wf: libmicrohttpd: ", stderr);
  std::vfprintf(stderr, format, arguments);
}

// Each connection is a descriptor: make room for the limit, as far as the hard limit allows.
void raise_descriptor_limit(int connections) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  rlim_t wanted = static_cast<rlim_t>(connections) + 256;
  if (limit.rlim_cur >= wanted) return;
  limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
  setrlimit(RLIMIT_NOFILE, &limit);
}

std::atomic<bool> g_stop_requested{false};
extern "C" void request_stop(int) { g_stop_requested = true; }

}  // namespace

void check_serve_options(const ServeOptions& options) {
  if (options.port < 0 || options.port > 65535) throw BadRequest("port " + std::to_string(options.port) + " is out of range");
  if (options.host.empty()) throw BadRequest("--listen needs a host, e.g. 127.0.0.1:8080");
  if (!is_loopback(options.host) && options.token.empty())
    throw BadRequest("wf serve: listening on " + options.host +
                     " exposes every run to the network; give a bearer token (--token-file or WORKFLOW_API_TOKEN)");
  if (options.max_body_bytes < 1024) throw BadRequest("--max-body must be at least 1024 bytes");
  if (options.request_timeout_seconds < 1 || options.request_timeout_seconds > 3600)
    throw BadRequest("--request-timeout must be from 1 to 3600 seconds");
  if (options.max_connections < 1 || options.max_connections > 100000)
    throw BadRequest("--max-connections must be from 1 to 100000");
  if (options.max_connections_per_client < 1 || options.max_connections_per_client > options.max_connections)
    throw BadRequest("--max-connections-per-client must be from 1 to --max-connections");
}

int serve(const ServeOptions& options) {
  check_serve_options(options);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  auto port_text = std::to_string(options.port);
  if (int problem = getaddrinfo(options.host.c_str(), port_text.c_str(), &hints, &found); problem != 0) {
    std::fprintf(stderr, "wf: error: cannot listen on %s: %s\n", options.host.c_str(), gai_strerror(problem));
    return exit_code::failure;
  }
  sockaddr_storage address{};
  std::memcpy(&address, found->ai_addr, found->ai_addrlen);
  bool ipv6 = found->ai_family == AF_INET6;
  freeaddrinfo(found);

  raise_descriptor_limit(options.max_connections);
  Server server{{options.token, options.max_body_bytes}, ConnectionGuard(std::chrono::seconds(options.request_timeout_seconds))};
  std::signal(SIGPIPE, SIG_IGN);
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG |
                   (ipv6 ? MHD_USE_IPv6 : 0);
  auto* daemon = MHD_start_daemon(
      flags, static_cast<uint16_t>(options.port), nullptr, nullptr, on_request, &server,
      MHD_OPTION_EXTERNAL_LOGGER, log_library_message, &server,  // first, or it misses messages
      MHD_OPTION_SOCK_ADDR, reinterpret_cast<sockaddr*>(&address),
      MHD_OPTION_THREAD_POOL_SIZE, kPollingThreads,
      MHD_OPTION_CONNECTION_LIMIT, static_cast<unsigned>(options.max_connections),
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, static_cast<unsigned>(options.max_connections_per_client),
      MHD_OPTION_CONNECTION_TIMEOUT, kInactivitySeconds,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, kConnectionMemory,
      MHD_OPTION_NOTIFY_CONNECTION, on_connection, &server,
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, &server,
      MHD_OPTION_UNESCAPE_CALLBACK, keep_escaped, nullptr,
      MHD_OPTION_END);
  if (!daemon) {
    std::fprintf(stderr, "wf: error: cannot listen on %s:%d (in use, or not an address of this machine)\n",
                 url_host(options.host).c_str(), options.port);
    return exit_code::failure;
  }
  server.started = true;
  int port = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT)->port;
  std::printf("wf serve: listening on http://%s:%d/ (dashboard at /, API at /api/)%s\n", url_host(options.host).c_str(),
              port, options.token.empty() ? "" : "; bearer token required");
  std::fflush(stdout);

  g_stop_requested = false;
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  while (!g_stop_requested) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  // Nothing may be suspended when the library stops: tails end, queued answers are given.
  end_all_tails();
  server.answerers.stop();
  MHD_stop_daemon(daemon);
  return exit_code::ok;
}

}  // namespace workflow::ops
