// The REST API's rows of the route table (route_table.cpp), one per endpoint of docs/rest-api.md,
// with their handlers. A handler gets the request with its path captures decoded, and throws what
// error_report.hpp classifies.
#pragma once

#include "route_table.hpp"

#include <workflow/serialization.hpp>

#include <functional>

namespace workflow::ops {

struct RouteContext {
  const HttpRequest& request;
  /// The decoded path segments the pattern's `*`s matched, in order (run ID, namespace).
  std::vector<std::string> captures;
  /// The decoded query parameters, in order.
  std::vector<std::pair<std::string, std::string>> query;

  /// The first query parameter called `name`.
  std::optional<std::string> parameter(std::string_view name) const;
};

HttpResponse json_response(int status, const Json& body);

enum class Access {
  dashboard,    // static files: no token
  api,          // Authorization: Bearer <token>
  api_or_query,  // also ?access_token=, because EventSource cannot send headers
  webhook        // no bearer token: the webhook's token in the path is the credential
};

struct Route {
  std::string method;
  /// Path segments; `*` matches any one segment, decoded and passed to the handler.
  std::vector<std::string> pattern;
  Access access;
  std::function<HttpResponse(const RouteContext&)> handler;
};

/// One row per endpoint of docs/rest-api.md.
const std::vector<Route>& api_routes();

}  // namespace workflow::ops
