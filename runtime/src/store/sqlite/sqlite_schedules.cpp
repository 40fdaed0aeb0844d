// The schedules table on SQLite; mirrored by store/postgres/pg_schedules.cpp.
#include "store/sqlite/sqlite_schedules.hpp"

#include <sqlite3.h>

namespace workflow::detail::sqlite_schedules {
namespace {

#define WORKFLOW_SCHEDULE_COLUMNS                                                                         \
  "name, workflow_id, arguments, spec, time_zone, overlap, catch_up, catch_up_window, grace, deployment_id, " \
  "paused, next_fire_at, last_tick_at, last_run_id, buffered_tick_at, skipped_count, created_at, updated_at, checksum"

// Work at ?1: the next tick is due, or a buffered tick's previous run is no longer unfinished.
#define WORKFLOW_SCHEDULE_HAS_WORK                                                                 \
  "paused = 0 AND (next_fire_at <= ?1 OR (buffered_tick_at IS NOT NULL AND NOT EXISTS (SELECT 1 " \
  "FROM runs WHERE runs.id = schedules.last_run_id AND runs.status IN ('pending', 'running', 'waiting', 'paused'))))"

std::optional<TimePoint> optional_time(const Statement& row, int column) {
  auto value = row.optional_integer(column);
  if (!value) return std::nullopt;
  return from_micros(*value);
}

ScheduleRecord read(const Statement& row) {
  ScheduleRecord schedule;
  schedule.name = row.text(0);
  schedule.workflow_id = row.text(1);
  schedule.spec = row.text(3);
  schedule.time_zone = row.text(4);
  schedule.overlap = row.text(5);
  schedule.catch_up = row.text(6);
  schedule.catch_up_window = std::chrono::microseconds(row.integer(7));
  schedule.grace = std::chrono::microseconds(row.integer(8));
  schedule.deployment_id = row.text(9);
  schedule.paused = row.integer(10) != 0;
  schedule.next_fire_at = optional_time(row, 11);
  schedule.last_tick_at = optional_time(row, 12);
  schedule.last_run_id = row.text(13);
  schedule.buffered_tick_at = optional_time(row, 14);
  schedule.skipped_count = row.integer(15);
  schedule.created_at = from_micros(row.integer(16));
  schedule.updated_at = from_micros(row.integer(17));
  decode_schedule_definition(schedule, row.text(2), row.optional_integer(18));
  return schedule;
}

std::vector<ScheduleRecord> read_all(Statement& statement) {
  std::vector<ScheduleRecord> result;
  while (statement.step()) result.push_back(read(statement));
  return result;
}

}  // namespace

std::optional<ScheduleRecord> find(SqliteConnection& connection, std::string_view name) {
  auto statement = connection.prepare("SELECT " WORKFLOW_SCHEDULE_COLUMNS " FROM schedules WHERE name = ?");
  statement.bind(1, name);
  if (!statement.step()) return std::nullopt;
  return read(statement);
}

void put(SqliteConnection& connection, const ScheduleRecord& schedule) {
  auto statement = connection.prepare(
      "INSERT OR REPLACE INTO schedules (" WORKFLOW_SCHEDULE_COLUMNS
      ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  auto arguments = schedule.arguments.dump();
  statement.bind(1, schedule.name).bind(2, schedule.workflow_id).bind(3, arguments).bind(4, schedule.spec);
  statement.bind(5, schedule.time_zone).bind(6, schedule.overlap).bind(7, schedule.catch_up);
  statement.bind(8, static_cast<std::int64_t>(schedule.catch_up_window.count()));
  statement.bind(9, static_cast<std::int64_t>(schedule.grace.count())).bind(10, schedule.deployment_id);
  statement.bind(11, std::int64_t{schedule.paused ? 1 : 0}).bind(12, optional_micros(schedule.next_fire_at));
  statement.bind(13, optional_micros(schedule.last_tick_at)).bind(14, schedule.last_run_id);
  statement.bind(15, optional_micros(schedule.buffered_tick_at)).bind(16, schedule.skipped_count);
  statement.bind(17, to_micros(schedule.created_at)).bind(18, to_micros(schedule.updated_at));
  statement.bind(19, schedule_checksum(schedule, arguments));
  statement.run();
}

bool remove(SqliteConnection& connection, std::string_view name) {
  auto statement = connection.prepare("DELETE FROM schedules WHERE name = ?");
  statement.bind(1, name);
  statement.run();
  return sqlite3_changes(connection.handle()) > 0;
}

std::vector<ScheduleRecord> list(SqliteConnection& connection) {
  auto statement = connection.prepare("SELECT " WORKFLOW_SCHEDULE_COLUMNS " FROM schedules ORDER BY name");
  return read_all(statement);
}

std::vector<ScheduleRecord> due(SqliteConnection& connection, TimePoint now, std::size_t limit) {
  auto statement = connection.prepare("SELECT " WORKFLOW_SCHEDULE_COLUMNS " FROM schedules WHERE " WORKFLOW_SCHEDULE_HAS_WORK
                                      " ORDER BY next_fire_at LIMIT ?2");
  statement.bind(1, to_micros(now)).bind(2, static_cast<std::int64_t>(limit));
  return read_all(statement);
}

std::optional<TimePoint> next_work(SqliteConnection& connection, TimePoint now) {
  auto ready = connection.prepare("SELECT 1 FROM schedules WHERE " WORKFLOW_SCHEDULE_HAS_WORK " LIMIT 1");
  ready.bind(1, to_micros(now));
  if (ready.step()) return now;
  auto next = connection.prepare("SELECT min(next_fire_at) FROM schedules WHERE paused = 0");
  if (!next.step()) return std::nullopt;
  return optional_time(next, 0);
}

}  // namespace workflow::detail::sqlite_schedules
