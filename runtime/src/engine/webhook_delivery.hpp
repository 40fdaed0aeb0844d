// Deliveries to webhooks (docs/webhooks.md): a POST's body goes to the run's inbox (event_inbox.hpp)
// under an event type reserved to the webhook, which Run::send_event refuses, so only a holder of
// the token can deliver to a webhook.
#pragma once

#include "engine/write_queue.hpp"
#include "store/journal_store.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace workflow::detail {

/// The inbox event type of deliveries to the webhook created by call `correlation_id`.
std::string webhook_event_type(std::string_view correlation_id);
/// Whether `type` is reserved to webhooks (send_event refuses it).
bool is_reserved_event_type(std::string_view type);

/// The webhooks table's row for a `webhook_created` event of attempt `attempt`.
WebhookRecord webhook_record(const Event& created, int attempt);

/// The webhook `token` names if a POST to it would deliver now: known, not a used single-use
/// one, of a run that is not final, created by the run's current attempt.
std::optional<WebhookRecord> deliverable_webhook(StoreTransaction& transaction, std::string_view token);

/// Appends `body` (already checked against the webhook's limit) to the inbox of the run `token`'s
/// webhook belongs to, marks a single-use webhook used and makes a waiting run due, all in one
/// transaction; returns the run's ID, or nothing (and changes nothing) when the webhook is not
/// deliverable.
std::optional<std::string> deliver_webhook(WriteQueue& writes, std::string_view token, const Json& body);

}  // namespace workflow::detail
