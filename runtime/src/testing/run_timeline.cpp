// A run's calls for assertions: the inspection API's timeline (workflow/inspect.hpp), with each
// step's arguments and result and each event's payload taken from the run's journal.
#include "testing/environment_state.hpp"

#include <map>
#include <ostream>

namespace workflow::testing {
namespace {

std::ostream& print_time(std::ostream& out, const std::optional<TimePoint>& time) {
  if (!time) return out << "-";
  return out << std::chrono::duration_cast<std::chrono::microseconds>(time->time_since_epoch()).count() << "us";
}

}  // namespace

std::vector<std::string> Call::errors() const {
  std::vector<std::string> messages;
  for (const auto& attempt : attempts)
    if (attempt.outcome != "completed") messages.push_back(attempt.error);
  return messages;
}

std::ostream& operator<<(std::ostream& out, const Call& call) {
  out << "{" << call.correlation_id << " " << call.kind << " '" << call.name << "' " << call.status;
  if (call.kind == "step") out << " input=" << call.input.dump() << " attempts=" << call.attempts.size();
  if (call.result) out << " result=" << call.result->dump();
  for (const auto& error : call.errors()) out << " error='" << error << "'";
  out << " started=";
  print_time(out, call.started_at) << " ended=";
  return print_time(out, call.ended_at) << "}";
}

std::vector<Call> TestEnvironment::timeline(const RunHandle& run) const {
  require_running("read a run's timeline");
  // Arguments and results by correlation ID; a retried step's last attempt has its arguments.
  std::map<std::string, Json> inputs;
  std::map<std::string, Json> results;
  for (const auto& event : run.events()) {
    if (event.type == "step_started") inputs[event.correlation_id] = event.data.value("input", Json());
    if (event.type == "step_completed") results[event.correlation_id] = event.data.value("result", Json());
    if (event.type == "event_received" && !event.correlation_id.empty())
      results[event.correlation_id] = event.data.value("payload", Json());
  }
  std::vector<Call> calls;
  for (auto& entry : inspect_run(run.run_id()).timeline) {
    Call call;
    call.correlation_id = entry.correlation_id;
    call.kind = entry.kind;
    call.name = entry.name;
    call.status = entry.status;
    if (auto input = inputs.find(call.correlation_id); input != inputs.end()) call.input = input->second;
    if (auto result = results.find(call.correlation_id); result != results.end()) call.result = result->second;
    call.attempts = std::move(entry.attempts);
    call.started_at = entry.started_at;
    call.ended_at = entry.ended_at;
    calls.push_back(std::move(call));
  }
  return calls;
}

std::vector<Call> TestEnvironment::calls_of(std::string_view step_id, const RunHandle& run) const {
  std::vector<Call> calls;
  for (auto& call : timeline(run))
    if (call.kind == "step" && call.name == step_id) calls.push_back(std::move(call));
  return calls;
}

int TestEnvironment::attempts(std::string_view step_id, const RunHandle& run) const {
  int attempts = 0;
  for (const auto& call : calls_of(step_id, run)) attempts += static_cast<int>(call.attempts.size());
  return attempts;
}

}  // namespace workflow::testing
