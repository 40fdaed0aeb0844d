// The secret webhook tokens are derived from (docs/webhooks.md, "The secret").
#pragma once

#include <workflow/config.hpp>

#include <string>

namespace workflow::detail {

/// At least this many characters: a shorter secret could be guessed from a token.
inline constexpr std::size_t kMinWebhookSecretLength = 32;

/// The secret for runs of the journal `database`: `configured` (Config::webhook_secret or
/// WORKFLOW_WEBHOOK_SECRET) if given, else the key file next to a SQLite journal, created on first
/// use. Throws ConfigurationError naming `run_id` and the setting when there is none (a PostgreSQL
/// journal without a configured secret) or it is unusable (too short, a key file others can read).
std::string webhook_secret(const std::string& configured, const std::string& database, const std::string& run_id);

/// The token of the webhook `correlation_id` made by `run_id`'s attempt `attempt` with `nonce`,
/// derived with the secret of `config`. `recorded_hash`, when not empty, is the hash the journal
/// recorded: a token that does not match it (the secret changed) throws ConfigurationError rather
/// than hand out a URL that delivers nothing.
std::string webhook_token_for(const Config& config, const std::string& run_id, int attempt,
                              const std::string& correlation_id, const std::string& nonce,
                              const std::string& recorded_hash);

/// The key file of a SQLite journal at `journal_path`.
std::string webhook_key_file(const std::string& journal_path);

}  // namespace workflow::detail
