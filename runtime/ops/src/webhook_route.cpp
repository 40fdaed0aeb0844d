// See webhook_route.hpp.
#include "webhook_route.hpp"

#include "operations.hpp"

#include <workflow/webhooks.hpp>

#include <charconv>

namespace workflow::ops {
namespace {

HttpResponse no_webhook() {
  return error_response(404, "not_found", "no webhook takes deliveries at this URL");
}

HttpResponse too_large(std::size_t limit) {
  return error_response(413, "payload_too_large",
                        "the body is larger than this webhook accepts (" + std::to_string(limit) + " bytes)");
}

}  // namespace

HttpResponse post_webhook(const RouteContext& context) {
  const auto& token = context.captures.at(0);
  auto limit = webhook_body_limit(token);
  if (!limit) return no_webhook();
  // The declared length first: the server reads at most --max-body of a body, and a client that
  // says it sends more than the webhook takes need not be read at all.
  if (auto declared = context.request.header("Content-Length")) {
    std::uint64_t length = 0;
    auto [end, problem] = std::from_chars(declared->data(), declared->data() + declared->size(), length);
    if (problem == std::errc() && end == declared->data() + declared->size() && length > *limit)
      return too_large(*limit);
  }
  if (context.request.body.size() > *limit) return too_large(*limit);
  auto body = parse_json(context.request.body, "the webhook's body");
  auto run_id = deliver_webhook(token, body);
  // The webhook was used up, or its run ended, since the lookup above.
  if (!run_id) return no_webhook();
  return json_response(202, {{"run_id", *run_id}});
}

}  // namespace workflow::ops
