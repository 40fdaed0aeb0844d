// Starting schedules' runs in the transaction that advances them (schedule_firing.hpp).
#include "engine/schedule_firing.hpp"

#include "engine/engine.hpp"
#include "engine/schedule_ticks.hpp"
#include "log/logger.hpp"
#include "schedule/schedule_spec.hpp"

#include <workflow/errors.hpp>

#include <ctime>
#include <mutex>
#include <set>

namespace workflow::detail {
namespace {

std::string compact_utc(TimePoint at, bool micros) {
  auto seconds = std::chrono::floor<std::chrono::seconds>(at);
  std::time_t time = std::chrono::system_clock::to_time_t(seconds);
  std::tm parts{};
  gmtime_r(&time, &parts);
  char text[40];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%S", &parts);
  std::string result = text;
  if (micros) {
    char fraction[16];
    std::snprintf(fraction, sizeof fraction, ".%06lld",
                  static_cast<long long>(std::chrono::duration_cast<std::chrono::microseconds>(at - seconds).count()));
    result += fraction;
  }
  return result + "Z";
}

StartOptions start_options(const ScheduleRecord& schedule, std::string id) {
  return {.id = std::move(id), .deployment_id = schedule.deployment_id.empty() ? "latest" : schedule.deployment_id};
}

// A schedule that cannot fire (a damaged record, an expression the zone database no longer
// accepts, a workflow no deployment registered) is left as it is and said once per process, not
// at every pass.
void report_once(const std::string& name, const std::string& problem) {
  static std::mutex mutex;
  static std::set<std::string> reported;
  std::lock_guard lock(mutex);
  if (reported.insert(name + '\n' + problem).second)
    log_message(LogLevel::error, "schedule " + name + " cannot fire: " + problem + " (it stays due)");
}

bool registered_anywhere(const std::vector<WorkflowRegistration>& registrations, const std::string& workflow_id) {
  for (const auto& registration : registrations)
    if (registration.id == workflow_id) return true;
  return false;
}

}  // namespace

std::string ScheduleFiring::run_id_for_tick(const std::string& name, TimePoint tick) {
  return "sched-" + name + "-" + compact_utc(tick, false);
}

std::string ScheduleFiring::run_id_for_trigger(const std::string& name, TimePoint at) {
  return "sched-" + name + "-" + compact_utc(at, true) + "-manual";
}

ScheduleFiring::Pass ScheduleFiring::fire_due(Engine& engine, TimePoint now) {
  Pass pass;
  std::vector<Engine::PlannedStart> plans;
  std::vector<std::pair<std::string, std::string>> problems;
  engine.writes().run([&](StoreTransaction& transaction) {
    // The writer may run this again: each run starts from what the transaction reads.
    plans.clear();
    problems.clear();
    pass.handled = 0;
    std::optional<std::vector<WorkflowRegistration>> registrations;
    std::optional<std::vector<QueueRecord>> queues;  // a schedule starts no queued run: never read
    for (auto& schedule : transaction.claim_due_schedules(now, kSchedulesPerPass)) {
      if (schedule.damage) {
        problems.emplace_back(schedule.name, "its record in the journal is damaged: " + *schedule.damage);
        continue;
      }
      std::optional<ScheduleSpec> spec;
      try {
        spec = ScheduleSpec::parse(schedule.spec, schedule.time_zone);
      } catch (const ScheduleSpecError& error) {
        problems.emplace_back(schedule.name, error.what());
        continue;
      }
      if (schedule.deployment_id.empty()) {
        if (!registrations) registrations = transaction.workflows();
        if (!registered_anywhere(*registrations, schedule.workflow_id)) {
          problems.emplace_back(schedule.name, "no deployment has registered workflow '" + schedule.workflow_id + "'");
          continue;
        }
      }
      bool unfinished = false;
      // allow_all without a buffered tick never asks: one query less per tick.
      bool overlap_matters = schedule.overlap != "allow_all" || schedule.buffered_tick_at;
      if (overlap_matters && !schedule.last_run_id.empty()) {
        auto fence = transaction.fence(schedule.last_run_id);
        unfinished = fence && !is_final(fence->status);
      }
      auto plan = plan_ticks(schedule, *spec, now, unfinished, kTicksPerPass);
      for (auto tick : plan.start) {
        auto start = engine.plan_start(start_options(schedule, run_id_for_tick(schedule.name, tick)),
                                       schedule.workflow_id, schedule.arguments);
        engine.write_start(transaction, start, registrations, queues);
        schedule.last_tick_at = tick;
        schedule.last_run_id = start.run.id;
        plans.push_back(std::move(start));
      }
      schedule.next_fire_at = plan.next_fire_at;
      schedule.buffered_tick_at = plan.buffered_tick_at;
      schedule.skipped_count += plan.skipped;
      schedule.updated_at = now;
      transaction.put_schedule(schedule);
      ++pass.handled;
    }
  });
  for (auto& [name, problem] : problems) report_once(name, problem);
  for (auto& plan : plans) {
    try {
      engine.finish_start(plan);
      if (!plan.existing) ++pass.started;
    } catch (const InvalidTransitionError& error) {
      // The tick's ID names a run of another workflow (a schedule deleted and declared again for
      // another workflow within the same second): that tick has its run, of the old workflow.
      log_message(LogLevel::warn, std::string("schedule tick: ") + error.what());
    }
  }
  return pass;
}

std::string ScheduleFiring::trigger(Engine& engine, const std::string& name) {
  std::optional<Engine::PlannedStart> plan;
  engine.writes().run([&](StoreTransaction& transaction) {
    plan.reset();
    auto schedule = transaction.find_schedule(name);
    if (!schedule) throw ScheduleNotFoundError(name);
    if (schedule->damage)
      throw InvalidTransitionError("schedule " + name + " cannot be triggered: its record in the journal is damaged: " +
                                   *schedule->damage);
    auto now = wall_now();
    plan = engine.plan_start(start_options(*schedule, run_id_for_trigger(name, now)), schedule->workflow_id,
                             schedule->arguments);
    std::optional<std::vector<WorkflowRegistration>> registrations;
    std::optional<std::vector<QueueRecord>> queues;  // a schedule starts no queued run: never read
    engine.write_start(transaction, *plan, registrations, queues);
    schedule->last_tick_at = now;
    schedule->last_run_id = plan->run.id;
    schedule->updated_at = now;
    transaction.put_schedule(*schedule);
  });
  return engine.finish_start(*plan);
}

}  // namespace workflow::detail
