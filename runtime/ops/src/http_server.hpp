// `wf serve`: the REST API, stream tailing over server-sent events and the dashboard, over the
// journal this process's engine opened (docs/rest-api.md).
#pragma once

#include <cstddef>
#include <string>

namespace workflow::ops {

struct ServeOptions {
  /// An IPv4 or IPv6 literal (without brackets) or a host name.
  std::string host = "127.0.0.1";
  int port = 8080;
  /// Required in `Authorization: Bearer ...` on /api/ when not empty; must not be empty unless
  /// `host` is a loopback address.
  std::string token;
  std::size_t max_body_bytes = 1 << 20;
  /// Seconds a client has to send a whole request (head and body), counted from when the
  /// connection is ready for it: slow clients lose their connection, not a thread.
  int request_timeout_seconds = 30;
  int max_connections = 1000;
  int max_connections_per_client = 64;
};

/// Throws BadRequest for options that are not safe or not usable (a public address without a
/// token, a bad port, limits out of range).
void check_serve_options(const ServeOptions& options);

/// Serves until SIGINT or SIGTERM. Returns an exit code; prints the address it listens on.
int serve(const ServeOptions& options);

}  // namespace workflow::ops
