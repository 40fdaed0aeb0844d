// Deliveries to webhooks: see webhook_delivery.hpp.
#include "engine/webhook_delivery.hpp"

#include "engine/commit_log.hpp"
#include "engine/webhook_token.hpp"
#include "store/event_payloads.hpp"

namespace workflow::detail {
namespace {

// `$` starts no event type a user would choose, and the journal shows at a glance what it is.
constexpr std::string_view kReservedPrefix = "$webhook/";

}  // namespace

std::string webhook_event_type(std::string_view correlation_id) {
  return std::string(kReservedPrefix).append(correlation_id);
}

bool is_reserved_event_type(std::string_view type) { return type.rfind(kReservedPrefix, 0) == 0; }

WebhookRecord webhook_record(const Event& created, int attempt) {
  auto data = payload::read<payload::WebhookCreated>(created);
  return {data.token_hash,    created.run_id, attempt, created.correlation_id,
          data.single_use,    false,          data.max_body_bytes, created.created_at};
}

std::optional<WebhookRecord> deliverable_webhook(StoreTransaction& transaction, std::string_view token) {
  if (!is_webhook_token(token)) return std::nullopt;
  auto hook = transaction.find_webhook(webhook_token_hash(token));
  if (!hook || (hook->single_use && hook->used)) return std::nullopt;
  auto fence = transaction.fence(hook->run_id);
  if (!fence || is_final(fence->status) || fence->attempt != hook->attempt) return std::nullopt;
  return hook;
}

std::optional<std::string> deliver_webhook(WriteQueue& writes, std::string_view token, const Json& body) {
  std::optional<std::string> delivered;
  writes.run([&](StoreTransaction& transaction) {
    delivered.reset();
    // The webhook's row first, then the run's (deliverable_webhook), in every delivery: two
    // deliveries to one single-use webhook are serialised on its row, and take no locks in the
    // opposite order to a worker's writes, which lock the run's row only.
    auto hook = deliverable_webhook(transaction, token);
    if (!hook) return;
    auto run = transaction.find_run(hook->run_id);
    auto now = wall_now();
    Event entry;
    entry.run_id = hook->run_id;
    entry.type = EventType::event_received;
    entry.data = payload::EventReceived{webhook_event_type(hook->correlation_id), body, {}};
    entry.created_at = now;
    append_logged(transaction, entry, {run->workflow_name, run->attempt});
    if (hook->single_use) transaction.mark_webhook_used(hook->token_hash);
    if (run->status == RunStatus::waiting) run->ready_at = now;
    run->updated_at = now;
    transaction.update_run(*run);
    delivered = hook->run_id;
  });
  return delivered;
}

}  // namespace workflow::detail
