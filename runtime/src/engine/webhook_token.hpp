// Webhook tokens (docs/webhooks.md): how a token is derived, hashed and found in a request path.
//
// A token is HMAC-SHA256(secret, run ID, attempt, correlation ID, nonce), base64url without
// padding (43 characters, 256 bits). The journal records the nonce, never the token, so a replay
// derives the same token from the secret, which lives outside the journal; the webhooks table
// holds SHA-256(token), so neither a journal nor a backup of it lets anyone post to a webhook.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace workflow::detail {

/// Characters in a token: base64url of 32 bytes.
inline constexpr std::size_t kWebhookTokenLength = 43;

/// `bytes` random bytes from the system's generator (OpenSSL's), base64url without padding;
/// throws std::runtime_error if the generator fails.
std::string random_base64url(std::size_t bytes);

/// The token of the webhook created by call `correlation_id` of `run_id`'s attempt `attempt`.
std::string derive_webhook_token(std::string_view secret, std::string_view run_id, int attempt,
                                 std::string_view correlation_id, std::string_view nonce);

/// Lowercase hex SHA-256 of `token`: the key of the webhooks table.
std::string webhook_token_hash(std::string_view token);

/// The token in `text`: a bare token, a path `/hooks/<token>` or a URL ending in it (a query or
/// fragment after it is ignored). Nothing when `text` holds no well-formed token.
std::optional<std::string> webhook_token_of(std::string_view text);

/// Whether `token` has the shape of a token (length and alphabet): anything else is unknown
/// without a lookup.
bool is_webhook_token(std::string_view token);

/// The path a webhook is posted to: `/hooks/<token>`.
std::string webhook_path(std::string_view token);

}  // namespace workflow::detail
