// The Run handle, on top of the engine.
#include <workflow/errors.hpp>
#include <workflow/run.hpp>

#include "engine/engine.hpp"

namespace workflow {

using detail::Engine;

bool RunHandle::exists() const { return Engine::instance()->find_run(run_id_).has_value(); }

RunStatus RunHandle::status() const { return Engine::instance()->require_run(run_id_).status; }

std::string RunHandle::workflow_name() const {
  return Engine::instance()->require_run(run_id_).workflow_name;
}

TimePoint RunHandle::created_at() const { return Engine::instance()->require_run(run_id_).created_at; }

std::optional<TimePoint> RunHandle::started_at() const {
  return Engine::instance()->require_run(run_id_).started_at;
}

std::optional<std::string> RunHandle::parent_run_id() const {
  auto run = Engine::instance()->require_run(run_id_);
  if (run.parent_run_id.empty()) return std::nullopt;
  return run.parent_run_id;
}

std::optional<TimePoint> RunHandle::completed_at() const {
  return Engine::instance()->require_run(run_id_).completed_at;
}

std::vector<RunEvent> RunHandle::events() const {
  auto engine = Engine::instance();
  engine->require_run(run_id_);
  std::vector<RunEvent> result;
  for (auto& event : engine->store().read()->events(run_id_))
    result.push_back({std::string(detail::to_string(event.type)), event.correlation_id,
                      event.step_name, std::move(event.data), event.created_at});
  return result;
}

void RunHandle::cancel() const { Engine::instance()->cancel(run_id_); }
void RunHandle::pause() const { Engine::instance()->pause(run_id_); }
void RunHandle::resume() const { Engine::instance()->resume(run_id_); }
void RunHandle::restart() const { Engine::instance()->restart(run_id_); }

void RunHandle::send_event(std::string_view type, const Json& payload) const {
  Engine::instance()->send_event(run_id_, type, payload);
}

std::size_t RunHandle::wake_up(const std::vector<std::string>& correlation_ids) const {
  return Engine::instance()->wake_up(run_id_, correlation_ids);
}

namespace {
Json output_of(const detail::RunRecord& run) {
  // A completed run whose output failed its checksum has no output anyone should act on.
  if (run.damage && run.status == RunStatus::completed) throw DamagedRecordError(run.id, "the run's record", *run.damage);
  if (run.status == RunStatus::completed) return run.output;
  if (run.status == RunStatus::cancelled) throw RunCancelledError(run.id);
  throw RunFailedError(run.id, run.error.value("message", std::string("unknown error")));
}
}  // namespace

Json RunHandle::return_json() const {
  return output_of(Engine::instance()->wait_until_final(run_id_, std::nullopt));
}

Json RunHandle::return_json(std::chrono::milliseconds timeout) const {
  return output_of(Engine::instance()->wait_until_final(run_id_, timeout));
}

Run<> get_run(std::string run_id) { return Run<>(std::move(run_id)); }

}  // namespace workflow
