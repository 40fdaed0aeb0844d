// Folding journal events into per-call records.
#include "engine/replay_journal.hpp"

#include <charconv>

namespace workflow::detail {
namespace {

// `p2.1/step-7` -> `p2.1/7`; empty for a correlation ID that names no call.
std::string key_of_correlation(std::string_view correlation_id) {
  auto last = correlation_id.rfind('/');
  auto call = last == std::string_view::npos ? 0 : last + 1;
  auto dash = correlation_id.find('-', call);
  if (dash == std::string_view::npos) return {};
  return std::string(correlation_id.substr(0, call)).append(correlation_id.substr(dash + 1));
}

}  // namespace

std::string RecordedCall::describe() const {
  switch (kind) {
    case Kind::step: return "step '" + name + "'";
    case Kind::wait: return "a sleep";
    case Kind::event: return "a wait for event '" + name + "'";
    case Kind::child: return "child workflow '" + name + "'";
    case Kind::patch: return "patch '" + name + "'";
    case Kind::parallel: return "a workflow::parallel call";
    case Kind::webhook: return "a workflow::create_webhook call";
  }
  return {};
}

std::string call_key(std::string_view prefix, std::int64_t position) {
  return std::string(prefix).append(std::to_string(position));
}

ReplayJournal::ReplayJournal(const std::vector<Event>& events) {
  for (const auto& event : events) attempt_ += event.type == EventType::run_restarted;
  // A restart begins a new attempt: only its own calls count (an earlier attempt's late writes
  // carry that attempt's correlation IDs and are left for inspection).
  std::string prefix = attempt_prefix();
  for (const auto& event : events) {
    if (event.type == EventType::run_started) run_started_ = true;
    if (event.type == EventType::run_restarted) run_ended_ = false;
    // Only a body that ran to its end made every call it was going to: a cancelled run, or one
    // that failed before or beside its body (non-determinism, damage), stopped anywhere.
    if (event.type == EventType::run_completed) run_ended_ = true;
    if (event.type == EventType::run_failed) {
      auto type = payload::read<payload::RunFailed>(event).error.value("type", std::string());
      run_ended_ = type == "StepFailedError" || type == "WorkflowError";
    }
    if (event.position < 0) continue;
    if (event.correlation_id.rfind(prefix, 0) != 0) continue;

    auto key = key_of_correlation(event.correlation_id);
    if (key.empty()) continue;
    note_parallel_calls(event.correlation_id.substr(prefix.size()), prefix);
    auto& call = calls_[key];
    call.correlation_id = event.correlation_id;
    call.last_event_at = event.created_at;
    switch (event.type) {
      case EventType::step_started:
        call.kind = RecordedCall::Kind::step;
        call.name = event.step_name;
        break;
      case EventType::step_completed:
        call.result = payload::read<payload::StepCompleted>(event).result;
        break;
      case EventType::step_retrying:
        ++call.failed_attempts;
        call.retry_at = from_micros(payload::read<payload::StepRetrying>(event).retry_at);
        break;
      case EventType::step_failed:
        call.final_error = payload::read<payload::StepFailed>(event);
        break;
      case EventType::wait_created:
        call.kind = RecordedCall::Kind::wait;
        call.resume_at = from_micros(payload::read<payload::WaitCreated>(event).resume_at);
        break;
      case EventType::wait_completed:
        call.wait_completed = true;
        break;
      case EventType::child_started:
        call.kind = RecordedCall::Kind::child;
        call.name = event.step_name;
        call.child_run_id = payload::read<payload::ChildStarted>(event).child_run_id;
        break;
      case EventType::child_completed:
        call.kind = RecordedCall::Kind::child;
        call.child_outcome = payload::read<payload::ChildCompleted>(event);
        break;
      case EventType::event_waiting: {
        auto waiting = payload::read<payload::EventWaiting>(event);
        call.kind = RecordedCall::Kind::event;
        call.name = waiting.event;
        if (waiting.resume_at) call.resume_at = from_micros(*waiting.resume_at);
        break;
      }
      case EventType::event_received:
        call.kind = RecordedCall::Kind::event;
        call.wait_completed = true;
        call.delivered = payload::read<payload::EventReceived>(event);
        break;
      case EventType::webhook_created:
        call.kind = RecordedCall::Kind::webhook;
        call.webhook = payload::read<payload::WebhookCreated>(event);
        break;
      case EventType::patch_recorded:
        call.kind = RecordedCall::Kind::patch;
        call.name = payload::read<payload::PatchRecorded>(event).change_id;
        break;
      default:
        break;
    }
  }
}

void ReplayJournal::note_parallel_calls(std::string_view branches, const std::string& attempt_prefix) {
  // `p2.1/p5.3/step-7`: the parallel call 2 at the top, and 5 inside branch 1 of it.
  std::string context = attempt_prefix;
  for (auto slash = branches.find('/'); slash != std::string_view::npos; slash = branches.find('/')) {
    auto segment = branches.substr(0, slash);  // `p2.1`
    auto dot = segment.find('.');
    if (segment.size() < 2 || segment[0] != 'p' || dot == std::string_view::npos) return;
    auto key = context + std::string(segment.substr(1, dot - 1));
    auto [call, added] = calls_.try_emplace(key);
    if (added) {
      call->second.kind = RecordedCall::Kind::parallel;
      call->second.correlation_id = context + "parallel-" + std::string(segment.substr(1, dot - 1));
    }
    context.append(segment).append("/");
    branches.remove_prefix(slash + 1);
  }
}

const RecordedCall* ReplayJournal::first_at_or_after(std::string_view prefix, std::int64_t position) const {
  const RecordedCall* first = nullptr;
  std::int64_t first_number = 0;
  for (auto it = calls_.lower_bound(prefix); it != calls_.end() && it->first.rfind(prefix, 0) == 0; ++it) {
    std::string_view rest = std::string_view(it->first).substr(prefix.size());
    std::int64_t number = 0;
    auto [end, problem] = std::from_chars(rest.data(), rest.data() + rest.size(), number);
    if (problem != std::errc() || end != rest.data() + rest.size()) continue;  // a branch's call
    if (number >= position && (!first || number < first_number)) {
      first = &it->second;
      first_number = number;
    }
  }
  return first;
}

const RecordedCall* ReplayJournal::find(const std::string& key) const {
  auto found = calls_.find(key);
  return found == calls_.end() ? nullptr : &found->second;
}

}  // namespace workflow::detail
