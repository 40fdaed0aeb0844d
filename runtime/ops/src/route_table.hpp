// The REST API and the dashboard as one pure function from a request value to a response value:
// the route table (one row per endpoint of docs/rest-api.md), and the rules every request passes
// first (methods, body framing and size, browser protections, the bearer token), in one place.
// No sockets: http_server.cpp feeds it from libmicrohttpd, a fuzz target can call it directly.
#pragma once

#include "stream_tail.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace workflow::ops {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;
  /// The request target as sent (origin form: path and query, still percent-encoded).
  std::string target;
  HttpHeaders headers;
  /// The decoded body (no transfer framing); the server stops collecting past the limit, so a
  /// body longer than ServerRules::max_body_bytes is answered 413 whatever its true length.
  std::string body;

  /// The first header called `name` (compared ignoring ASCII case), or nothing.
  std::optional<std::string_view> header(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  /// Content-Type included.
  HttpHeaders headers;
  std::string body;
  /// For a stream tail: the server sends the headers, then what tail->next() returns until it
  /// finishes or the client goes away. `body` is empty then.
  std::unique_ptr<StreamTail> tail;
};

struct ServerRules {
  /// Required as `Authorization: Bearer <token>` on /api/ when not empty.
  std::string token;
  std::size_t max_body_bytes = 1 << 20;
};

/// Answers one request. Never throws: errors become the JSON error bodies of docs/rest-api.md.
HttpResponse dispatch(const HttpRequest& request, const ServerRules& rules);

/// `{"error": {...}}` with `status`.
HttpResponse error_response(int status, const std::string& code, const std::string& message);

/// dispatch()'s 413 for a body over the limit, for the server to give before the body is sent
/// (a client that asked for `100 Continue`).
HttpResponse payload_too_large_response();

}  // namespace workflow::ops
