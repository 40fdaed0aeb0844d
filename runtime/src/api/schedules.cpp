// The public schedule API (<workflow/schedules.hpp>): declaring, listing, pausing, resuming,
// triggering and deleting schedules.
#include <workflow/errors.hpp>
#include <workflow/schedule_spec.hpp>
#include <workflow/schedules.hpp>

#include "engine/engine.hpp"
#include "engine/schedule_firing.hpp"
#include "engine/schedule_ticks.hpp"
#include "schedule/schedule_spec.hpp"

#include <algorithm>

namespace workflow {
namespace {

constexpr std::size_t kMaxNameLength = 100;

// Letters, digits and `._-`: the name goes into run IDs and URL paths unescaped.
void validate_name(const std::string& name) {
  if (name.empty() || name.size() > kMaxNameLength)
    throw ConfigurationError("schedule name '" + name.substr(0, 40) + "' must have 1 to " +
                             std::to_string(kMaxNameLength) + " characters");
  for (unsigned char c : name)
    if (!std::isalnum(c) && c != '.' && c != '_' && c != '-')
      throw ConfigurationError("schedule name '" + name + "' may hold only letters, digits, '.', '_' and '-'");
}

detail::ScheduleRecord definition(const std::string& name, const std::string& workflow_id, Json arguments,
                                  const ScheduleOptions& options) {
  validate_name(name);
  if (!arguments.is_array())
    throw ConfigurationError("schedule " + name + ": the arguments of workflow " + workflow_id +
                             " must be a JSON array (one element per parameter), got " +
                             std::string(arguments.type_name()));
  if (options.grace.count() < 0 || options.catch_up_window.count() < 0)
    throw ConfigurationError("schedule " + name + ": the grace period and the catch-up window may not be negative");
  detail::ScheduleSpec::parse(options.spec, options.time_zone);  // throws ScheduleSpecError
  detail::ScheduleRecord record;
  record.name = name;
  record.workflow_id = workflow_id;
  record.arguments = std::move(arguments);
  record.spec = options.spec;
  record.time_zone = options.time_zone;
  record.overlap = std::string(to_string(options.overlap));
  record.catch_up = std::string(to_string(options.catch_up));
  record.catch_up_window = options.catch_up_window;
  record.grace = options.grace;
  record.deployment_id = options.deployment_id;
  return record;
}

bool same_definition(const detail::ScheduleRecord& a, const detail::ScheduleRecord& b) {
  return !a.damage && !b.damage && a.workflow_id == b.workflow_id && a.arguments == b.arguments &&
         a.spec == b.spec && a.time_zone == b.time_zone && a.overlap == b.overlap && a.catch_up == b.catch_up &&
         a.catch_up_window == b.catch_up_window && a.grace == b.grace && a.deployment_id == b.deployment_id;
}

ScheduleInfo to_info(const detail::ScheduleRecord& record) {
  ScheduleInfo info;
  info.name = record.name;
  info.workflow_id = record.workflow_id;
  info.arguments = record.arguments;
  info.options.spec = record.spec;
  info.options.time_zone = record.time_zone;
  try {
    info.options.overlap = parse_overlap_policy(record.overlap);
    info.options.catch_up = parse_catch_up_policy(record.catch_up);
    info.description = describe_schedule(record.spec, record.time_zone);
  } catch (const ConfigurationError& error) {
    info.description = error.what();
  }
  if (record.damage) info.description = "damaged record: " + *record.damage;
  info.options.catch_up_window = std::chrono::duration_cast<std::chrono::seconds>(record.catch_up_window);
  info.options.grace = std::chrono::duration_cast<std::chrono::seconds>(record.grace);
  info.options.deployment_id = record.deployment_id;
  info.options.paused = record.paused;
  info.paused = record.paused;
  info.next_fire_at = record.next_fire_at;
  info.last_tick_at = record.last_tick_at;
  info.last_run_id = record.last_run_id;
  info.buffered_tick_at = record.buffered_tick_at;
  info.skipped_count = record.skipped_count;
  info.created_at = record.created_at;
  info.updated_at = record.updated_at;
  return info;
}

// One change to an existing schedule in one write; `change` edits the record.
void change_schedule(const std::string& name, const std::function<void(detail::ScheduleRecord&, detail::TimePoint)>& change) {
  detail::Engine::instance()->writes().run([&](detail::StoreTransaction& transaction) {
    auto schedule = transaction.find_schedule(name);
    if (!schedule) throw ScheduleNotFoundError(name);
    auto now = detail::wall_now();
    change(*schedule, now);
    schedule->updated_at = now;
    transaction.put_schedule(*schedule);
  });
}

}  // namespace

std::string_view to_string(OverlapPolicy policy) {
  switch (policy) {
    case OverlapPolicy::skip: return "skip";
    case OverlapPolicy::buffer_one: return "buffer_one";
    case OverlapPolicy::allow_all: return "allow_all";
  }
  return "skip";
}

std::string_view to_string(CatchUpPolicy policy) {
  switch (policy) {
    case CatchUpPolicy::skip: return "skip";
    case CatchUpPolicy::last: return "last";
    case CatchUpPolicy::all: return "all";
  }
  return "skip";
}

OverlapPolicy parse_overlap_policy(std::string_view text) {
  for (auto policy : {OverlapPolicy::skip, OverlapPolicy::buffer_one, OverlapPolicy::allow_all})
    if (to_string(policy) == text) return policy;
  throw ConfigurationError("unknown overlap policy '" + std::string(text) + "' (skip, buffer_one or allow_all)");
}

CatchUpPolicy parse_catch_up_policy(std::string_view text) {
  for (auto policy : {CatchUpPolicy::skip, CatchUpPolicy::last, CatchUpPolicy::all})
    if (to_string(policy) == text) return policy;
  throw ConfigurationError("unknown catch-up policy '" + std::string(text) + "' (skip, last or all)");
}

ScheduleChange schedule_by_id(const std::string& name, const std::string& workflow_id, Json arguments,
                              const ScheduleOptions& options) {
  auto declared = definition(name, workflow_id, std::move(arguments), options);
  auto spec = detail::ScheduleSpec::parse(declared.spec, declared.time_zone);
  ScheduleChange change = ScheduleChange::unchanged;
  detail::Engine::instance()->writes().run([&](detail::StoreTransaction& transaction) {
    auto existing = transaction.find_schedule(name);
    if (existing && same_definition(*existing, declared)) {
      change = ScheduleChange::unchanged;
      return;
    }
    auto now = detail::wall_now();
    auto schedule = declared;
    schedule.next_fire_at = spec.next_after(now);
    schedule.updated_at = now;
    if (existing) {
      // Its state carries over; its ticks follow the new definition from now on.
      schedule.paused = existing->paused;
      schedule.last_tick_at = existing->last_tick_at;
      schedule.last_run_id = existing->last_run_id;
      schedule.buffered_tick_at = existing->buffered_tick_at;
      schedule.skipped_count = existing->skipped_count;
      schedule.created_at = existing->created_at;
      change = ScheduleChange::updated;
    } else {
      schedule.paused = options.paused;
      schedule.created_at = now;
      change = ScheduleChange::created;
    }
    transaction.put_schedule(schedule);
  });
  return change;
}

namespace detail {
ScheduleChange declare_schedule(const std::string& name, const void* workflow_key, Json arguments,
                                const ScheduleOptions& options) {
  return schedule_by_id(name, registered_workflow(workflow_key, "workflow::schedule").id, std::move(arguments),
                        options);
}
}  // namespace detail

std::vector<ScheduleInfo> list_schedules() {
  std::vector<ScheduleInfo> result;
  for (const auto& record : detail::Engine::instance()->store().read()->list_schedules())
    result.push_back(to_info(record));
  return result;
}

std::optional<ScheduleInfo> get_schedule(const std::string& name) {
  auto record = detail::Engine::instance()->store().read()->find_schedule(name);
  if (!record) return std::nullopt;
  return to_info(*record);
}

void pause_schedule(const std::string& name) {
  change_schedule(name, [](detail::ScheduleRecord& schedule, detail::TimePoint) { schedule.paused = true; });
}

void resume_schedule(const std::string& name) {
  change_schedule(name, [&](detail::ScheduleRecord& schedule, detail::TimePoint now) {
    if (!schedule.paused) return;
    schedule.paused = false;
    auto spec = detail::ScheduleSpec::parse(schedule.spec, schedule.time_zone);
    schedule.next_fire_at = detail::resume_fire_time(schedule, spec, now);
  });
}

Run<> trigger_schedule(const std::string& name) {
  return Run<>(detail::ScheduleFiring::trigger(*detail::Engine::instance(), name));
}

bool delete_schedule(const std::string& name) {
  bool deleted = false;
  detail::Engine::instance()->writes().run(
      [&](detail::StoreTransaction& transaction) { deleted = transaction.delete_schedule(name); });
  return deleted;
}

std::vector<std::chrono::system_clock::time_point> schedule_fire_times(const std::string& name, std::size_t count) {
  auto schedule = get_schedule(name);
  if (!schedule) throw ScheduleNotFoundError(name);
  return next_fire_times(schedule->options.spec, schedule->options.time_zone, detail::wall_now(), count);
}

}  // namespace workflow
