// Webhooks: a workflow creates an HTTP endpoint for its run and waits for POSTs to it (the
// Workflow SDK's createWebhook). `wf serve` accepts `POST /hooks/<token>` without a bearer token:
// the unguessable token is the credential. Guide: docs/webhooks.md.
//
//   auto hook = workflow::create_webhook<Approval>();
//   send_approval_request(manager_email, hook.url());   // a step: the URL leaves the run
//   Approval approval = hook.wait(std::chrono::hours(72));
#pragma once

#include <workflow/errors.hpp>
#include <workflow/serialization.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <source_location>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>

namespace workflow {

/// How a webhook accepts POSTs.
struct WebhookOptions {
  /// Accept one delivery, then answer 404 to every later POST. Otherwise every POST is a delivery
  /// and Webhook::wait returns them one by one, in the order they were accepted.
  bool single_use = true;
  /// A body larger than this is refused with 413 (`wf serve --max-body` bounds it as well).
  std::size_t max_body_bytes = 1 << 20;
};

namespace detail {
struct CreatedWebhook {
  std::string run_id;
  std::string correlation_id;
  std::string token;
};
CreatedWebhook create_webhook(const WebhookOptions& options, const std::source_location& where);
Json wait_for_webhook_json(const std::string& run_id, const std::string& correlation_id,
                           std::optional<std::chrono::milliseconds> timeout, const std::source_location& where);
/// The token of the webhook `correlation_id` of `run_id`, derived again from the journal's record
/// of it and this worker's secret (a Webhook read back from the journal, in a step).
std::string webhook_token_of_call(const std::string& run_id, const std::string& correlation_id);
[[noreturn]] void throw_webhook_payload_error(const std::string& run_id, const std::string& correlation_id,
                                              const char* wanted, const char* cause);
}  // namespace detail

/// A webhook of the running workflow, made by create_webhook. Copyable. wait() is for the body
/// of the run that created it; the URL may be used anywhere in that run.
///
/// A Webhook is also a step argument: it is journaled as its run and call (`{"run_id": ...,
/// "webhook": "webhook-3"}`), never its token, which the step's copy derives again. Pass the
/// webhook, not its url(), to the step that sends the URL out: a string argument would put the
/// token in the journal with the step's input.
template <class T = Json>
class Webhook {
 public:
  explicit Webhook(detail::CreatedWebhook created) : created_(std::move(created)) {}
  /// An empty webhook, for reading one from the journal.
  Webhook() = default;

  friend void to_json(Json& json, const Webhook& hook) {
    json = {{"run_id", hook.created_.run_id}, {"webhook", hook.created_.correlation_id}};
  }
  friend void from_json(const Json& json, Webhook& hook) {
    hook.created_.run_id = json.at("run_id").get<std::string>();
    hook.created_.correlation_id = json.at("webhook").get<std::string>();
    hook.created_.token = detail::webhook_token_of_call(hook.created_.run_id, hook.created_.correlation_id);
  }

  /// The secret part of the URL: 43 characters of base64url (256 bits). The same on every
  /// replay of the run's attempt; a restarted run gets new ones.
  const std::string& token() const { return created_.token; }
  /// The path to POST to, `/hooks/<token>`: prefix it with the address `wf serve` is reached at
  /// (`https://hooks.example.com` + url()).
  std::string url() const { return "/hooks/" + created_.token; }
  /// The run that created the webhook.
  const std::string& run_id() const { return created_.run_id; }
  /// The create_webhook call in the run, e.g. `webhook-3`.
  const std::string& correlation_id() const { return created_.correlation_id; }

  /// Suspends until the next POST to the webhook (or one that arrived earlier) and returns its
  /// body as `T`. Throws TimeoutError when `timeout` passes first, and EventPayloadError (naming
  /// the run and the webhook; the delivery consumed) when the body does not convert to `T`.
  /// May be called again on a webhook that is not single-use, for each next delivery.
  T wait(std::optional<std::chrono::milliseconds> timeout = std::nullopt,
         std::source_location where = std::source_location::current()) const {
    Json body = detail::wait_for_webhook_json(created_.run_id, created_.correlation_id, timeout, where);
    if constexpr (std::is_same_v<T, Json>) {
      return body;
    } else {
      try {
        return body.get<T>();
      } catch (const Json::exception& error) {
        detail::throw_webhook_payload_error(created_.run_id, created_.correlation_id, typeid(T).name(),
                                            error.what());
      }
    }
  }

 private:
  detail::CreatedWebhook created_;
};

/// Creates a webhook for the running workflow: a journaled call (a replay gets the same webhook
/// and URL). The webhook is durable before this returns, so its URL may be handed out at once.
/// Throws ConfigurationError when this worker has no webhook secret (a PostgreSQL journal
/// without WORKFLOW_WEBHOOK_SECRET). Workflow bodies only.
template <class T = Json>
Webhook<T> create_webhook(WebhookOptions options = {}, std::source_location where = std::source_location::current()) {
  static_assert(detail::require_serializable<T>::value);
  return Webhook<T>(detail::create_webhook(options, where));
}

/// Operators (`wf serve`) and tests: the largest body the webhook `token` accepts, or nothing
/// when a POST to it would deliver nothing (unknown token, used single-use webhook, finished or
/// restarted run).
std::optional<std::size_t> webhook_body_limit(std::string_view token);

/// Operators and tests: delivers `body` to the webhook `token` (a bare token or a URL ending in
/// `/hooks/<token>`) as a POST would, in one transaction; returns the run's ID, or nothing (and
/// changes nothing) when the webhook takes no delivery (see webhook_body_limit). The caller
/// checks the body's size against webhook_body_limit.
std::optional<std::string> deliver_webhook(std::string_view token, const Json& body);

}  // namespace workflow
