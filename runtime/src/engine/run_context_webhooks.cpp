// workflow::create_webhook and Webhook::wait inside a workflow body (docs/webhooks.md).
//
// The journal records the webhook's nonce and the hash of its token, never the token: each
// execution derives the token again from the secret (webhook_secret.hpp), and checks it against
// the recorded hash, so a secret changed under a running run is reported, not handed out as a
// URL that delivers nothing.
#include "engine/run_context.hpp"

#include "engine/engine.hpp"
#include "engine/webhook_delivery.hpp"
#include "engine/webhook_secret.hpp"
#include "engine/webhook_token.hpp"

#include <algorithm>
#include <limits>

namespace workflow::detail {

RunContext::CreatedWebhook RunContext::create_webhook(bool single_use, std::size_t max_body_bytes,
                                                      const std::source_location& where) {
  auto [position, correlation_id, recorded] =
      begin_call("webhook", RecordedCall::Kind::webhook, "", "creates a webhook", where);
  // A replay check has no secret; the token only matters to whoever receives the URL.
  if (check_) return {correlation_id, "replay-check"};
  payload::WebhookCreated created;
  if (recorded && recorded->webhook) {
    created = *recorded->webhook;
    clock_ = std::max(clock_, recorded->last_event_at);
  } else {
    created.nonce = random_base64url(16);
    created.single_use = single_use;
    // Stored as a signed 64-bit column; a larger limit means no limit of the webhook's own.
    created.max_body_bytes = static_cast<std::int64_t>(
        std::min<std::size_t>(max_body_bytes, static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max())));
  }
  auto token = webhook_token_for(engine_->config(), run_.id, run_.attempt, correlation_id, created.nonce,
                                created.token_hash);
  if (recorded) return {correlation_id, std::move(token)};
  created.token_hash = webhook_token_hash(token);
  // Durable before the body goes on: the URL may leave it at once (a step, a stream), and a POST
  // that arrives then must find the webhook.
  commit({make_event(created, correlation_id, position)});
  return {correlation_id, std::move(token)};
}

Json RunContext::wait_for_webhook(const std::string& correlation_id, std::optional<std::chrono::milliseconds> timeout,
                                  const std::source_location& where) {
  try {
    return wait_for_event(webhook_event_type(correlation_id), timeout, where);
  } catch (const TimeoutError&) {
    throw TimeoutError("run " + run_.id + ": no POST to webhook " + correlation_id +
                       " arrived before the timeout");
  }
}

}  // namespace workflow::detail
