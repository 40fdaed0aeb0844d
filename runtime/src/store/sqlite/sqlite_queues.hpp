// The queue tables of the SQLite journal (docs/queues.md); the SQLite transaction's queue
// methods (journal_store.hpp) call these. Write transactions exclude each other on SQLite, so
// lock_queue needs no lock of its own.
#pragma once

#include <string_view>
#include <vector>

#include "store/queue_records.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace workflow::detail::sqlite_queues {

void declare(SqliteConnection& connection, const QueueRecord& queue);
std::vector<QueueRecord> all(SqliteConnection& connection);
std::optional<QueueRecord> find(SqliteConnection& connection, std::string_view name);
bool insert_entry(SqliteConnection& connection, const QueueEntry& entry);
std::optional<std::string> unfinished_duplicate(SqliteConnection& connection, std::string_view queue,
                                                std::string_view deduplication_id);
std::optional<QueueEntry> entry(SqliteConnection& connection, std::string_view run_id);
std::vector<std::string> with_waiting(SqliteConnection& connection, const std::vector<std::string>& workflows,
                                      std::string_view deployment);
QueueLoad load(SqliteConnection& connection, std::string_view queue, std::string_view owner, TimePoint since);
std::int64_t count_waiting(SqliteConnection& connection, std::string_view queue);
std::vector<QueueEntry> waiting(SqliteConnection& connection, std::string_view queue,
                                const std::vector<std::string>& workflows, std::string_view deployment,
                                std::size_t limit);
/// Marks the run dequeued and gives it to `owner`; the caller reads it back.
void dequeue(SqliteConnection& connection, std::string_view run_id, std::string_view owner, TimePoint lease_until,
             TimePoint at);

}  // namespace workflow::detail::sqlite_queues
