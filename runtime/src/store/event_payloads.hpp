// The data of each journal event type, as one struct per type: the one place that spells out
// the keys (docs/journal.md, "Events"), so writers and readers cannot drift apart.
//
// Reading is strict about types and lenient about absence: a key missing takes its default (a
// journal written by an older version may lack one), a key present with the wrong type makes
// the event damaged (decode_event checks every event's data against its type with
// payload_problem), so nothing downstream acts on a wrong-typed field.
#pragma once

#include "store/records.hpp"

#include <optional>
#include <string>

namespace workflow::detail::payload {

struct RunCreated {
  static constexpr EventType type = EventType::run_created;
  std::string workflow_name;
  std::string deployment_id;
  Json input;
  std::optional<std::string> parent_run_id;
  /// Set for a run started into a queue (docs/queues.md).
  std::optional<std::string> queue;
  std::optional<std::int64_t> priority;
  std::optional<std::string> partition_key;
  std::optional<std::string> deduplication_id;
  /// A child run that a cancellation of its parent leaves running (workflow::detached).
  std::optional<bool> detached;
};

/// Events that carry no data: run_started, run_paused, run_resumed, run_restarted.
struct Empty {};

/// A run cancelled by an operator (no data), or with its parent (`by_parent`: the run whose
/// cancellation reached it).
struct RunCancelled {
  static constexpr EventType type = EventType::run_cancelled;
  std::optional<std::string> by_parent;
};

struct StepStarted {
  static constexpr EventType type = EventType::step_started;
  int attempt = 1;
  Json input;
};

struct StepCompleted {
  static constexpr EventType type = EventType::step_completed;
  Json result;
};

struct StepRetrying {
  static constexpr EventType type = EventType::step_retrying;
  std::string error;
  int attempt = 1;
  Micros retry_at = 0;
  /// The attempt overran its timeout and was still running when its stop grace ended: it was
  /// left to run on its own thread (docs/programming-model.md, "Step timeouts").
  std::optional<bool> abandoned;
};

struct StepFailed {
  static constexpr EventType type = EventType::step_failed;
  std::string message;
  int attempts = 0;
  bool fatal = false;
  /// The last attempt was abandoned (see StepRetrying::abandoned).
  std::optional<bool> abandoned;
};

struct WaitCreated {
  static constexpr EventType type = EventType::wait_created;
  Micros resume_at = 0;
};

/// A sleep ended (neither flag), was woken up early, or an event wait timed out.
struct WaitCompleted {
  static constexpr EventType type = EventType::wait_completed;
  bool timed_out = false;
  bool woken_up = false;
};

struct EventWaiting {
  static constexpr EventType type = EventType::event_waiting;
  std::string event;
  std::optional<Micros> resume_at;
};

/// An inbox entry (an event sent to the run: no position, no `delivered`) or its delivery to a
/// wait (at the wait's position, naming the inbox entry it delivered).
struct EventReceived {
  static constexpr EventType type = EventType::event_received;
  std::string event;
  Json payload;
  std::optional<std::int64_t> delivered;
};

struct ChildStarted {
  static constexpr EventType type = EventType::child_started;
  std::string child_run_id;
};

/// The child's final status (`completed`, `failed`, `cancelled`) and its output or error.
struct ChildCompleted {
  static constexpr EventType type = EventType::child_completed;
  std::string status;
  std::optional<Json> output;
  std::optional<Json> error;
};

/// workflow::patched() took the new code at this call (docs/versioning.md).
struct PatchRecorded {
  static constexpr EventType type = EventType::patch_recorded;
  std::string change_id;
};

/// `wf runs upgrade` moved the run from one deployment to another (its code replays the run).
struct RunUpgraded {
  static constexpr EventType type = EventType::run_upgraded;
  std::string from;
  std::string to;
};

/// workflow::create_webhook at this call: what the token is derived from (never the token; the
/// secret is outside the journal) and its settings. docs/webhooks.md.
struct WebhookCreated {
  static constexpr EventType type = EventType::webhook_created;
  /// Random bytes, base64url: with the secret, the run, the attempt and the call, the token.
  std::string nonce;
  /// Lowercase hex SHA-256 of the token: the row of the webhooks table is written from it.
  std::string token_hash;
  bool single_use = true;
  std::int64_t max_body_bytes = 0;
};

struct RunCompleted {
  static constexpr EventType type = EventType::run_completed;
  Json output;
};

struct RunFailed {
  static constexpr EventType type = EventType::run_failed;
  /// `{"type": ..., "message": ...}`, plus the failed step for StepFailedError.
  Json error;
};

void to_json(Json& json, const RunCreated& value);
void from_json(const Json& json, RunCreated& value);
void to_json(Json& json, const Empty& value);
void from_json(const Json& json, Empty& value);
void to_json(Json& json, const RunCancelled& value);
void from_json(const Json& json, RunCancelled& value);
void to_json(Json& json, const StepStarted& value);
void from_json(const Json& json, StepStarted& value);
void to_json(Json& json, const StepCompleted& value);
void from_json(const Json& json, StepCompleted& value);
void to_json(Json& json, const StepRetrying& value);
void from_json(const Json& json, StepRetrying& value);
void to_json(Json& json, const StepFailed& value);
void from_json(const Json& json, StepFailed& value);
void to_json(Json& json, const WaitCreated& value);
void from_json(const Json& json, WaitCreated& value);
void to_json(Json& json, const WaitCompleted& value);
void from_json(const Json& json, WaitCompleted& value);
void to_json(Json& json, const EventWaiting& value);
void from_json(const Json& json, EventWaiting& value);
void to_json(Json& json, const EventReceived& value);
void from_json(const Json& json, EventReceived& value);
void to_json(Json& json, const ChildStarted& value);
void from_json(const Json& json, ChildStarted& value);
void to_json(Json& json, const ChildCompleted& value);
void from_json(const Json& json, ChildCompleted& value);
void to_json(Json& json, const PatchRecorded& value);
void from_json(const Json& json, PatchRecorded& value);
void to_json(Json& json, const RunUpgraded& value);
void from_json(const Json& json, RunUpgraded& value);
void to_json(Json& json, const WebhookCreated& value);
void from_json(const Json& json, WebhookCreated& value);
void to_json(Json& json, const RunCompleted& value);
void from_json(const Json& json, RunCompleted& value);
void to_json(Json& json, const RunFailed& value);
void from_json(const Json& json, RunFailed& value);

/// The event's data as the payload `P`. Only for events decode_event checked (every event read
/// from a store), whose data therefore converts.
template <class P>
P read(const Event& event) {
  return event.data.get<P>();
}

}  // namespace workflow::detail::payload

namespace workflow::detail {

/// Why `data` is not the data of an event of `type` (a key with the wrong type), or empty.
std::optional<std::string> payload_problem(EventType type, const Json& data);

}  // namespace workflow::detail
