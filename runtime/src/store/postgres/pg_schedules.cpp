// The schedules table on PostgreSQL; mirrors store/sqlite/sqlite_schedules.cpp. Many workers
// claim at once here: due rows are taken FOR UPDATE SKIP LOCKED, so each schedule is handled by
// one transaction at a time and the others pass it by instead of queueing behind it.
#include "store/postgres/pg_transaction.hpp"

namespace workflow::detail {
namespace {

#define WORKFLOW_PG_SCHEDULE_COLUMNS                                                                      \
  "name, workflow_id, arguments, spec, time_zone, overlap, catch_up, catch_up_window, grace, deployment_id, " \
  "paused, next_fire_at, last_tick_at, last_run_id, buffered_tick_at, skipped_count, created_at, updated_at, checksum"

// Work at $1: the next tick is due, or a buffered tick's previous run is no longer unfinished.
#define WORKFLOW_PG_SCHEDULE_HAS_WORK                                                                  \
  "NOT paused AND (next_fire_at <= $1::bigint OR (buffered_tick_at IS NOT NULL AND NOT EXISTS (SELECT 1 " \
  "FROM runs WHERE runs.id = schedules.last_run_id AND runs.status IN ('pending', 'running', 'waiting', 'paused'))))"

std::optional<TimePoint> optional_time(const PgResult& result, int row, int column) {
  auto value = result.optional_integer(row, column);
  if (!value) return std::nullopt;
  return from_micros(*value);
}

std::vector<ScheduleRecord> read_schedules(const PgResult& result) {
  std::vector<ScheduleRecord> schedules;
  for (int row = 0; row < result.rows(); ++row) {
    ScheduleRecord schedule;
    schedule.name = result.text(row, 0);
    schedule.workflow_id = result.text(row, 1);
    schedule.spec = result.text(row, 3);
    schedule.time_zone = result.text(row, 4);
    schedule.overlap = result.text(row, 5);
    schedule.catch_up = result.text(row, 6);
    schedule.catch_up_window = std::chrono::microseconds(result.integer(row, 7));
    schedule.grace = std::chrono::microseconds(result.integer(row, 8));
    schedule.deployment_id = result.text(row, 9);
    schedule.paused = result.boolean(row, 10);
    schedule.next_fire_at = optional_time(result, row, 11);
    schedule.last_tick_at = optional_time(result, row, 12);
    schedule.last_run_id = result.text(row, 13);
    schedule.buffered_tick_at = optional_time(result, row, 14);
    schedule.skipped_count = result.integer(row, 15);
    schedule.created_at = from_micros(result.integer(row, 16));
    schedule.updated_at = from_micros(result.integer(row, 17));
    decode_schedule_definition(schedule, result.text(row, 2), result.optional_integer(row, 18));
    schedules.push_back(std::move(schedule));
  }
  return schedules;
}

}  // namespace

std::optional<ScheduleRecord> PgTransaction::find_schedule(std::string_view name) {
  auto result = run(writes_ ? "SELECT " WORKFLOW_PG_SCHEDULE_COLUMNS " FROM schedules WHERE name = $1 FOR UPDATE"
                            : "SELECT " WORKFLOW_PG_SCHEDULE_COLUMNS " FROM schedules WHERE name = $1",
                    PgParams().add(name));
  auto schedules = read_schedules(result);
  if (schedules.empty()) return std::nullopt;
  return std::move(schedules.front());
}

void PgTransaction::put_schedule(const ScheduleRecord& schedule) {
  auto arguments = schedule.arguments.dump();
  PgParams params;
  params.add(schedule.name).add(schedule.workflow_id).add(arguments).add(schedule.spec).add(schedule.time_zone);
  params.add(schedule.overlap).add(schedule.catch_up).add(static_cast<std::int64_t>(schedule.catch_up_window.count()));
  params.add(static_cast<std::int64_t>(schedule.grace.count())).add(schedule.deployment_id);
  params.add(schedule.paused ? "true" : "false").add(optional_micros(schedule.next_fire_at));
  params.add(optional_micros(schedule.last_tick_at)).add(schedule.last_run_id);
  params.add(optional_micros(schedule.buffered_tick_at)).add(schedule.skipped_count);
  params.add(to_micros(schedule.created_at)).add(to_micros(schedule.updated_at));
  params.add(schedule_checksum(schedule, arguments));
  // Other workers' tickers wake on it: a new or changed schedule may fire earlier than they knew.
  change("INSERT INTO schedules (" WORKFLOW_PG_SCHEDULE_COLUMNS
         ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8::bigint, $9::bigint, $10, $11::boolean, $12::bigint, $13::bigint, "
         "$14, $15::bigint, $16::bigint, $17::bigint, $18::bigint, $19::bigint) "
         "ON CONFLICT (name) DO UPDATE SET workflow_id = excluded.workflow_id, arguments = excluded.arguments, "
         "spec = excluded.spec, time_zone = excluded.time_zone, overlap = excluded.overlap, "
         "catch_up = excluded.catch_up, catch_up_window = excluded.catch_up_window, grace = excluded.grace, "
         "deployment_id = excluded.deployment_id, paused = excluded.paused, next_fire_at = excluded.next_fire_at, "
         "last_tick_at = excluded.last_tick_at, last_run_id = excluded.last_run_id, "
         "buffered_tick_at = excluded.buffered_tick_at, skipped_count = excluded.skipped_count, "
         "created_at = excluded.created_at, updated_at = excluded.updated_at, checksum = excluded.checksum",
         params);
}

bool PgTransaction::delete_schedule(std::string_view name) {
  return change("DELETE FROM schedules WHERE name = $1", PgParams().add(name)).affected() > 0;
}

std::vector<ScheduleRecord> PgTransaction::list_schedules() {
  return read_schedules(run("SELECT " WORKFLOW_PG_SCHEDULE_COLUMNS " FROM schedules ORDER BY name", PgParams()));
}

std::vector<ScheduleRecord> PgTransaction::claim_due_schedules(TimePoint now, std::size_t limit) {
  // Under READ COMMITTED a row whose lock is released meanwhile is checked again against the
  // condition as committed: a tick another worker just fired is no longer due and is not taken.
  return read_schedules(run("SELECT " WORKFLOW_PG_SCHEDULE_COLUMNS " FROM schedules WHERE " WORKFLOW_PG_SCHEDULE_HAS_WORK
                            " ORDER BY next_fire_at LIMIT $2::bigint FOR UPDATE SKIP LOCKED",
                            PgParams().add(to_micros(now)).add(static_cast<std::int64_t>(limit))));
}

std::optional<TimePoint> PgTransaction::next_schedule_work(TimePoint now) {
  auto ready = run("SELECT 1 FROM schedules WHERE " WORKFLOW_PG_SCHEDULE_HAS_WORK " LIMIT 1",
                   PgParams().add(to_micros(now)));
  if (ready.rows() > 0) return now;
  auto next = run("SELECT min(next_fire_at) FROM schedules WHERE NOT paused", PgParams());
  if (next.rows() == 0) return std::nullopt;
  return optional_time(next, 0, 0);
}

}  // namespace workflow::detail
