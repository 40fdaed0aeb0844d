// Journal events and claims as log records.
#include "log/run_transitions.hpp"

#include "store/event_payloads.hpp"

#include <workflow/detail/time_text.hpp>

namespace workflow::detail {
namespace {

std::string in_quotes(const std::string& name) { return "'" + name + "'"; }

// A time of the journal, as `wf runs show` shows it.
std::string time_text(Micros at) { return rfc3339_millis(from_micros(at)); }

}  // namespace

LogLevel level_of(EventType type) {
  switch (type) {
    case EventType::run_created:
    case EventType::run_started:
    case EventType::run_paused:
    case EventType::run_resumed:
    case EventType::run_restarted:
    case EventType::run_upgraded:
    case EventType::run_completed:
    case EventType::run_cancelled:
    case EventType::wait_created:
    case EventType::event_waiting:
    case EventType::child_started:
      return LogLevel::info;
    case EventType::step_retrying:
    case EventType::step_failed:
      return LogLevel::warn;
    case EventType::run_failed:
      return LogLevel::error;
    case EventType::step_started:
    case EventType::step_completed:
    case EventType::wait_completed:
    case EventType::event_received:
    case EventType::child_completed:
    case EventType::patch_recorded:
    case EventType::webhook_created:
      return LogLevel::debug;
  }
  return LogLevel::debug;
}

LogRecord transition_record(const Event& event, const RunLabel& run) {
  LogRecord record;
  record.level = level_of(event.type);
  record.event = to_string(event.type);
  record.run_id = event.run_id;
  record.workflow = run.workflow;
  record.run_attempt = run.attempt;
  record.step = event.step_name;
  record.correlation_id = event.correlation_id;
  const std::string subject = "run " + event.run_id;
  // Events the engine wrote itself always read back; should one not, the log still says what
  // happened rather than the write failing over its log line.
  try {
    switch (event.type) {
      case EventType::run_created: {
        auto created = payload::read<payload::RunCreated>(event);
        record.message = subject + " created";
        record.with("deployment", created.deployment_id);
        if (created.parent_run_id) record.with("parent_run_id", *created.parent_run_id);
        if (created.queue) record.with("queue", *created.queue);
        break;
      }
      case EventType::run_started: record.message = subject + " started"; break;
      case EventType::step_started:
        record.message = subject + " step started";
        record.attempt = payload::read<payload::StepStarted>(event).attempt;
        break;
      case EventType::step_completed: record.message = subject + " step completed"; break;
      case EventType::step_retrying: {
        auto retrying = payload::read<payload::StepRetrying>(event);
        record.message = subject + " step failed, retrying";
        record.attempt = retrying.attempt;
        record.error = std::move(retrying.error);
        record.with("retry_at", time_text(retrying.retry_at));
        if (retrying.abandoned.value_or(false)) record.with("abandoned", true);
        break;
      }
      case EventType::step_failed: {
        auto failed = payload::read<payload::StepFailed>(event);
        record.message = subject + " step failed";
        record.attempt = failed.attempts;
        record.error = std::move(failed.message);
        record.with("fatal", failed.fatal);
        if (failed.abandoned.value_or(false)) record.with("abandoned", true);
        break;
      }
      case EventType::wait_created:
        record.message = subject + " sleeping";
        record.with("resume_at", time_text(payload::read<payload::WaitCreated>(event).resume_at));
        break;
      case EventType::wait_completed: {
        auto completed = payload::read<payload::WaitCompleted>(event);
        record.message = subject + (completed.timed_out ? " wait timed out" : completed.woken_up ? " woken up" : " sleep ended");
        break;
      }
      case EventType::event_waiting: {
        auto waiting = payload::read<payload::EventWaiting>(event);
        record.message = subject + " waiting for event " + in_quotes(waiting.event);
        record.with("event_type", waiting.event);
        if (waiting.resume_at) record.with("timeout_at", time_text(*waiting.resume_at));
        break;
      }
      case EventType::event_received: {
        auto received = payload::read<payload::EventReceived>(event);
        record.message = subject + (received.delivered ? " took event " : " received event ") + in_quotes(received.event);
        record.with("event_type", received.event);
        break;
      }
      case EventType::run_paused: record.message = subject + " paused"; break;
      case EventType::run_resumed: record.message = subject + " resumed"; break;
      case EventType::run_restarted: record.message = subject + " restarted"; break;
      case EventType::child_started: {
        auto child = payload::read<payload::ChildStarted>(event).child_run_id;
        record.message = subject + " started child run " + child;
        record.with("child_run_id", child);
        break;
      }
      case EventType::child_completed: {
        auto status = payload::read<payload::ChildCompleted>(event).status;
        record.message = subject + " child run " + status;
        record.with("child_status", status);
        break;
      }
      case EventType::run_completed: record.message = subject + " completed"; break;
      case EventType::run_failed: {
        auto error = payload::read<payload::RunFailed>(event).error;
        record.message = subject + " failed";
        if (error.is_object()) {
          record.error = error.value("message", std::string());
          if (auto type = error.value("type", std::string()); !type.empty()) record.with("error_type", type);
        }
        break;
      }
      case EventType::run_cancelled: {
        auto by_parent = payload::read<payload::RunCancelled>(event).by_parent;
        record.message = subject + " cancelled";
        if (by_parent) {
          record.message += " with its parent " + *by_parent;
          record.with("by_parent", *by_parent);
        }
        break;
      }
      case EventType::patch_recorded:
        record.message = subject + " took patch " + in_quotes(payload::read<payload::PatchRecorded>(event).change_id);
        break;
      case EventType::run_upgraded: {
        auto upgraded = payload::read<payload::RunUpgraded>(event);
        record.message = subject + " upgraded to deployment " + upgraded.to;
        record.with("from", upgraded.from).with("to", upgraded.to);
        break;
      }
      case EventType::webhook_created: record.message = subject + " created a webhook"; break;
    }
  } catch (const std::exception&) {
    record.fields.clear();
    record.message = subject + " " + record.event;
  }
  return record;
}

LogRecord claim_record(const RunRecord& run, std::string_view worker) {
  LogRecord record;
  record.level = run.taken_over ? LogLevel::warn : LogLevel::info;
  record.event = run.taken_over ? "run_taken_over" : "run_claimed";
  record.message = "run " + run.id + (run.taken_over ? " taken over from a worker that died or stalled" : " claimed");
  record.run_id = run.id;
  record.workflow = run.workflow_name;
  record.run_attempt = run.attempt;
  record.with("worker", std::string(worker));
  if (run.taken_over) record.with("recovery_count", run.recovery_count);
  return record;
}

}  // namespace workflow::detail
