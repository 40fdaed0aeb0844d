// workflow::create_webhook, Webhook::wait, and delivering to a webhook (docs/webhooks.md).
#include <workflow/webhooks.hpp>

#include "engine/engine.hpp"
#include "engine/run_context.hpp"
#include "engine/webhook_delivery.hpp"
#include "engine/webhook_secret.hpp"
#include "engine/webhook_token.hpp"

#include <cxxabi.h>
#include <cstdlib>
#include <memory>

namespace workflow {
namespace detail {
namespace {

RunContext& webhook_context(const char* function) {
  auto* context = RunContext::current();
  if (!context || current_step())
    throw NotInWorkflowError(std::string("workflow::") + function +
                             " can only be used in a workflow body (not in a step or outside a run)");
  return *context;
}

}  // namespace

CreatedWebhook create_webhook(const WebhookOptions& options, const std::source_location& where) {
  auto& context = webhook_context("create_webhook");
  if (options.max_body_bytes == 0)
    throw std::invalid_argument("workflow::create_webhook: WebhookOptions::max_body_bytes must be positive");
  auto created = context.create_webhook(options.single_use, options.max_body_bytes, where);
  return {context.run().id, std::move(created.correlation_id), std::move(created.token)};
}

Json wait_for_webhook_json(const std::string& run_id, const std::string& correlation_id,
                           std::optional<std::chrono::milliseconds> timeout, const std::source_location& where) {
  auto& context = webhook_context("Webhook::wait");
  if (context.run().id != run_id)
    throw std::logic_error("Webhook::wait: webhook " + correlation_id + " belongs to run " + run_id +
                           ", not to run " + context.run().id + " that waits on it");
  return context.wait_for_webhook(correlation_id, timeout, where);
}

std::string webhook_token_of_call(const std::string& run_id, const std::string& correlation_id) {
  auto engine = Engine::instance();
  int attempt = 1;
  for (const auto& event : engine->store().read()->events(run_id)) {
    attempt += event.type == EventType::run_restarted;
    if (event.type != EventType::webhook_created || event.correlation_id != correlation_id) continue;
    auto created = payload::read<payload::WebhookCreated>(event);
    return webhook_token_for(engine->config(), run_id, attempt, correlation_id, created.nonce, created.token_hash);
  }
  throw std::invalid_argument("run " + run_id + " has no webhook " + correlation_id);
}

void throw_webhook_payload_error(const std::string& run_id, const std::string& correlation_id, const char* wanted,
                                 const char* cause) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> readable(abi::__cxa_demangle(wanted, nullptr, nullptr, &status), std::free);
  throw EventPayloadError("run " + run_id + ": the body POSTed to webhook " + correlation_id +
                          " does not convert to " + (readable ? readable.get() : wanted) + ": " + cause);
}

}  // namespace detail

std::optional<std::size_t> webhook_body_limit(std::string_view token) {
  auto given = detail::webhook_token_of(token);
  if (!given) return std::nullopt;
  auto engine = detail::Engine::instance();
  auto hook = detail::deliverable_webhook(*engine->store().read(), *given);
  if (!hook) return std::nullopt;
  return static_cast<std::size_t>(hook->max_body_bytes);
}

std::optional<std::string> deliver_webhook(std::string_view token, const Json& body) {
  auto given = detail::webhook_token_of(token);
  if (!given) return std::nullopt;
  auto engine = detail::Engine::instance();
  auto run_id = detail::deliver_webhook(engine->writes(), *given, body);
  if (run_id) engine->hint(detail::wall_now());
  return run_id;
}

}  // namespace workflow
