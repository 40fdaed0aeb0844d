// Strict, absence-tolerant conversions of event payloads (see event_payloads.hpp).
#include "store/event_payloads.hpp"

#include <stdexcept>

namespace workflow::detail::payload {
namespace {

// A key present with another type than the payload declares: the event cannot be trusted.
struct WrongType : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void wrong_type(const char* key, const char* wanted, const Json& found) {
  throw WrongType(std::string("its '") + key + "' is " + found.type_name() + ", not " + wanted);
}

void read_field(const Json& json, const char* key, std::string& out) {
  auto found = json.find(key);
  if (found == json.end()) return;
  if (!found->is_string()) wrong_type(key, "a string", *found);
  out = found->get<std::string>();
}

void read_field(const Json& json, const char* key, std::int64_t& out) {
  auto found = json.find(key);
  if (found == json.end()) return;
  if (!found->is_number_integer()) wrong_type(key, "an integer", *found);
  out = found->get<std::int64_t>();
}

void read_field(const Json& json, const char* key, int& out) {
  std::int64_t wide = out;
  read_field(json, key, wide);
  if (wide < INT32_MIN || wide > INT32_MAX) throw WrongType(std::string("its '") + key + "' is out of range");
  out = static_cast<int>(wide);
}

void read_field(const Json& json, const char* key, bool& out) {
  auto found = json.find(key);
  if (found == json.end()) return;
  if (!found->is_boolean()) wrong_type(key, "a boolean", *found);
  out = found->get<bool>();
}

void read_field(const Json& json, const char* key, Json& out) {
  auto found = json.find(key);
  if (found != json.end()) out = *found;
}

template <class T>
void read_field(const Json& json, const char* key, std::optional<T>& out) {
  if (!json.contains(key)) return;
  T value{};
  read_field(json, key, value);
  out = std::move(value);
}

template <class T>
void write_field(Json& json, const char* key, const std::optional<T>& value) {
  if (value) json[key] = *value;
}

}  // namespace

void to_json(Json& json, const RunCreated& value) {
  json = {{"workflow_name", value.workflow_name}, {"deployment_id", value.deployment_id}, {"input", value.input}};
  write_field(json, "parent_run_id", value.parent_run_id);
  write_field(json, "queue", value.queue);
  write_field(json, "priority", value.priority);
  write_field(json, "partition_key", value.partition_key);
  write_field(json, "deduplication_id", value.deduplication_id);
  write_field(json, "detached", value.detached);
}
void from_json(const Json& json, RunCreated& value) {
  read_field(json, "workflow_name", value.workflow_name);
  read_field(json, "deployment_id", value.deployment_id);
  read_field(json, "input", value.input);
  read_field(json, "parent_run_id", value.parent_run_id);
  read_field(json, "queue", value.queue);
  read_field(json, "priority", value.priority);
  read_field(json, "partition_key", value.partition_key);
  read_field(json, "deduplication_id", value.deduplication_id);
  read_field(json, "detached", value.detached);
}

void to_json(Json& json, const Empty&) { json = Json::object(); }
void from_json(const Json&, Empty&) {}

void to_json(Json& json, const RunCancelled& value) {
  json = Json::object();
  write_field(json, "by_parent", value.by_parent);
}
void from_json(const Json& json, RunCancelled& value) { read_field(json, "by_parent", value.by_parent); }

void to_json(Json& json, const StepStarted& value) { json = {{"attempt", value.attempt}, {"input", value.input}}; }
void from_json(const Json& json, StepStarted& value) {
  read_field(json, "attempt", value.attempt);
  read_field(json, "input", value.input);
}

void to_json(Json& json, const StepCompleted& value) { json = {{"result", value.result}}; }
void from_json(const Json& json, StepCompleted& value) { read_field(json, "result", value.result); }

void to_json(Json& json, const StepRetrying& value) {
  json = {{"error", value.error}, {"attempt", value.attempt}, {"retry_at", value.retry_at}};
  write_field(json, "abandoned", value.abandoned);
}
void from_json(const Json& json, StepRetrying& value) {
  read_field(json, "error", value.error);
  read_field(json, "attempt", value.attempt);
  read_field(json, "retry_at", value.retry_at);
  read_field(json, "abandoned", value.abandoned);
}

void to_json(Json& json, const StepFailed& value) {
  json = {{"message", value.message}, {"attempts", value.attempts}, {"fatal", value.fatal}};
  write_field(json, "abandoned", value.abandoned);
}
void from_json(const Json& json, StepFailed& value) {
  read_field(json, "message", value.message);
  read_field(json, "attempts", value.attempts);
  read_field(json, "fatal", value.fatal);
  read_field(json, "abandoned", value.abandoned);
}

void to_json(Json& json, const WaitCreated& value) { json = {{"resume_at", value.resume_at}}; }
void from_json(const Json& json, WaitCreated& value) { read_field(json, "resume_at", value.resume_at); }

void to_json(Json& json, const WaitCompleted& value) {
  json = Json::object();
  if (value.timed_out) json["timed_out"] = true;
  if (value.woken_up) json["woken_up"] = true;
}
void from_json(const Json& json, WaitCompleted& value) {
  read_field(json, "timed_out", value.timed_out);
  read_field(json, "woken_up", value.woken_up);
}

void to_json(Json& json, const EventWaiting& value) {
  json = {{"event", value.event}};
  write_field(json, "resume_at", value.resume_at);
}
void from_json(const Json& json, EventWaiting& value) {
  read_field(json, "event", value.event);
  read_field(json, "resume_at", value.resume_at);
}

void to_json(Json& json, const EventReceived& value) {
  json = {{"event", value.event}, {"payload", value.payload}};
  write_field(json, "delivered", value.delivered);
}
void from_json(const Json& json, EventReceived& value) {
  read_field(json, "event", value.event);
  read_field(json, "payload", value.payload);
  read_field(json, "delivered", value.delivered);
}

void to_json(Json& json, const ChildStarted& value) { json = {{"child_run_id", value.child_run_id}}; }
void from_json(const Json& json, ChildStarted& value) { read_field(json, "child_run_id", value.child_run_id); }

void to_json(Json& json, const ChildCompleted& value) {
  json = {{"status", value.status}};
  write_field(json, "output", value.output);
  write_field(json, "error", value.error);
}
void from_json(const Json& json, ChildCompleted& value) {
  read_field(json, "status", value.status);
  read_field(json, "output", value.output);
  read_field(json, "error", value.error);
}

void to_json(Json& json, const PatchRecorded& value) { json = {{"change_id", value.change_id}}; }
void from_json(const Json& json, PatchRecorded& value) { read_field(json, "change_id", value.change_id); }

void to_json(Json& json, const RunUpgraded& value) { json = {{"from", value.from}, {"to", value.to}}; }
void from_json(const Json& json, RunUpgraded& value) {
  read_field(json, "from", value.from);
  read_field(json, "to", value.to);
}

void to_json(Json& json, const WebhookCreated& value) {
  json = {{"nonce", value.nonce},
          {"token_hash", value.token_hash},
          {"single_use", value.single_use},
          {"max_body_bytes", value.max_body_bytes}};
}

void from_json(const Json& json, WebhookCreated& value) {
  read_field(json, "nonce", value.nonce);
  read_field(json, "token_hash", value.token_hash);
  read_field(json, "single_use", value.single_use);
  read_field(json, "max_body_bytes", value.max_body_bytes);
}

void to_json(Json& json, const RunCompleted& value) { json = {{"output", value.output}}; }
void from_json(const Json& json, RunCompleted& value) { read_field(json, "output", value.output); }

void to_json(Json& json, const RunFailed& value) { json = {{"error", value.error}}; }
void from_json(const Json& json, RunFailed& value) { read_field(json, "error", value.error); }

}  // namespace workflow::detail::payload

namespace workflow::detail {
namespace {

template <class P>
std::optional<std::string> problem_reading(const Json& data) {
  try {
    (void)data.get<P>();
    return std::nullopt;
  } catch (const std::exception& error) {
    return std::string(error.what());
  }
}

}  // namespace

std::optional<std::string> payload_problem(EventType type, const Json& data) {
  using namespace payload;
  switch (type) {
    case EventType::run_created: return problem_reading<RunCreated>(data);
    case EventType::step_started: return problem_reading<StepStarted>(data);
    case EventType::step_completed: return problem_reading<StepCompleted>(data);
    case EventType::step_retrying: return problem_reading<StepRetrying>(data);
    case EventType::step_failed: return problem_reading<StepFailed>(data);
    case EventType::wait_created: return problem_reading<WaitCreated>(data);
    case EventType::wait_completed: return problem_reading<WaitCompleted>(data);
    case EventType::event_waiting: return problem_reading<EventWaiting>(data);
    case EventType::event_received: return problem_reading<EventReceived>(data);
    case EventType::child_started: return problem_reading<ChildStarted>(data);
    case EventType::child_completed: return problem_reading<ChildCompleted>(data);
    case EventType::patch_recorded: return problem_reading<PatchRecorded>(data);
    case EventType::run_upgraded: return problem_reading<RunUpgraded>(data);
    case EventType::webhook_created: return problem_reading<WebhookCreated>(data);
    case EventType::run_completed: return problem_reading<RunCompleted>(data);
    case EventType::run_failed: return problem_reading<RunFailed>(data);
    case EventType::run_started:
    case EventType::run_paused:
    case EventType::run_resumed:
    case EventType::run_restarted: return std::nullopt;
    case EventType::run_cancelled: return problem_reading<RunCancelled>(data);
  }
  return std::nullopt;
}

}  // namespace workflow::detail
