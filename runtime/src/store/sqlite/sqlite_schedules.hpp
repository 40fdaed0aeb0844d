// The `schedules` table's queries in SQLite's dialect (the StoreTransaction schedule methods).
// Write transactions exclude each other on SQLite, so a schedule claimed here stays the caller's
// until commit without any row lock.
#pragma once

#include "store/schedule_record.hpp"
#include "store/sqlite/sqlite_connection.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace workflow::detail::sqlite_schedules {

std::optional<ScheduleRecord> find(SqliteConnection& connection, std::string_view name);
void put(SqliteConnection& connection, const ScheduleRecord& schedule);
bool remove(SqliteConnection& connection, std::string_view name);
std::vector<ScheduleRecord> list(SqliteConnection& connection);
std::vector<ScheduleRecord> due(SqliteConnection& connection, TimePoint now, std::size_t limit);
std::optional<TimePoint> next_work(SqliteConnection& connection, TimePoint now);

}  // namespace workflow::detail::sqlite_schedules
