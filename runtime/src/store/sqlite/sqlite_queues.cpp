// The queue tables of the SQLite journal.
#include "store/sqlite/sqlite_queues.hpp"

#include <workflow/serialization.hpp>

namespace workflow::detail::sqlite_queues {
namespace {

QueueRecord read_queue(const Statement& row) {
  return {row.text(0),
          row.integer(1),
          row.integer(2),
          row.integer(3),
          std::chrono::microseconds(row.integer(4)),
          row.integer(5),
          from_micros(row.integer(6))};
}

QueueEntry read_entry(const Statement& row) {
  QueueEntry entry{row.text(0), row.text(1), row.integer(2), row.text(3), row.text(4), from_micros(row.integer(5))};
  if (auto at = row.optional_integer(6)) entry.dequeued_at = from_micros(*at);
  entry.done = row.integer(7) != 0;
  return entry;
}

}  // namespace

void declare(SqliteConnection& connection, const QueueRecord& queue) {
  auto statement = connection.prepare(
      "INSERT INTO queues (name, concurrency, worker_concurrency, rate_limit, rate_period, partition_concurrency, "
      "declared_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (name) DO UPDATE SET "
      "concurrency = excluded.concurrency, worker_concurrency = excluded.worker_concurrency, "
      "rate_limit = excluded.rate_limit, rate_period = excluded.rate_period, "
      "partition_concurrency = excluded.partition_concurrency, declared_at = excluded.declared_at");
  statement.bind(1, queue.name).bind(2, queue.concurrency).bind(3, queue.worker_concurrency);
  statement.bind(4, queue.rate_limit).bind(5, static_cast<std::int64_t>(queue.rate_period.count()));
  statement.bind(6, queue.partition_concurrency).bind(7, to_micros(queue.declared_at));
  statement.run();
}

std::vector<QueueRecord> all(SqliteConnection& connection) {
  auto statement = connection.prepare(
      "SELECT name, concurrency, worker_concurrency, rate_limit, rate_period, partition_concurrency, declared_at "
      "FROM queues ORDER BY name");
  std::vector<QueueRecord> result;
  while (statement.step()) result.push_back(read_queue(statement));
  return result;
}

std::optional<QueueRecord> find(SqliteConnection& connection, std::string_view name) {
  auto statement = connection.prepare(
      "SELECT name, concurrency, worker_concurrency, rate_limit, rate_period, partition_concurrency, declared_at "
      "FROM queues WHERE name = ?1");
  statement.bind(1, name);
  if (!statement.step()) return std::nullopt;
  return read_queue(statement);
}

bool insert_entry(SqliteConnection& connection, const QueueEntry& entry) {
  auto statement = connection.prepare(
      "INSERT INTO queue_entries (run_id, queue, priority, partition_key, deduplication_id, enqueued_at, "
      "dequeued_at, done) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING");
  statement.bind(1, entry.run_id).bind(2, entry.queue).bind(3, entry.priority).bind(4, entry.partition_key);
  statement.bind(5, entry.deduplication_id).bind(6, to_micros(entry.enqueued_at));
  statement.bind(7, optional_micros(entry.dequeued_at)).bind(8, std::int64_t{entry.done});
  statement.run();
  return sqlite3_changes(connection.handle()) > 0;
}

std::optional<std::string> unfinished_duplicate(SqliteConnection& connection, std::string_view queue,
                                                std::string_view deduplication_id) {
  auto statement = connection.prepare(
      "SELECT run_id FROM queue_entries WHERE queue = ?1 AND deduplication_id = ?2 AND deduplication_id <> '' "
      "AND done = 0");
  statement.bind(1, queue).bind(2, deduplication_id);
  if (!statement.step()) return std::nullopt;
  return statement.text(0);
}

std::optional<QueueEntry> entry(SqliteConnection& connection, std::string_view run_id) {
  auto statement = connection.prepare(
      "SELECT run_id, queue, priority, partition_key, deduplication_id, enqueued_at, dequeued_at, done "
      "FROM queue_entries WHERE run_id = ?1");
  statement.bind(1, run_id);
  if (!statement.step()) return std::nullopt;
  auto found = read_entry(statement);
  if (found.dequeued_at || found.done) return found;
  auto ahead = connection.prepare(
      "SELECT count(*) FROM queue_entries WHERE queue = ?1 AND dequeued_at IS NULL AND done = 0 "
      "AND (priority, enqueued_at, run_id) < (?2, ?3, ?4)");
  ahead.bind(1, found.queue).bind(2, found.priority).bind(3, to_micros(found.enqueued_at)).bind(4, found.run_id);
  ahead.step();
  found.position = ahead.integer(0) + 1;
  return found;
}

std::vector<std::string> with_waiting(SqliteConnection& connection, const std::vector<std::string>& workflows,
                                      std::string_view deployment) {
  auto statement = connection.prepare(
      "SELECT name FROM queues WHERE EXISTS (SELECT 1 FROM queue_entries q JOIN runs r ON r.id = q.run_id "
      "  WHERE q.queue = queues.name AND q.dequeued_at IS NULL AND q.done = 0 "
      "  AND r.workflow_name IN (SELECT value FROM json_each(?1)) AND r.deployment_id = ?2) ORDER BY name");
  statement.bind(1, Json(workflows).dump()).bind(2, deployment);
  std::vector<std::string> result;
  while (statement.step()) result.push_back(statement.text(0));
  return result;
}

QueueLoad load(SqliteConnection& connection, std::string_view queue, std::string_view owner, TimePoint since) {
  QueueLoad load;
  auto counts = connection.prepare(
      "SELECT (SELECT count(*) FROM queue_entries q JOIN runs r ON r.id = q.run_id WHERE q.queue = ?1 "
      "  AND q.dequeued_at IS NOT NULL AND q.done = 0 AND r.owner = ?2), "
      "(SELECT count(*) FROM queue_entries WHERE queue = ?1 AND dequeued_at >= ?3), "
      "(SELECT min(dequeued_at) FROM queue_entries WHERE queue = ?1 AND dequeued_at >= ?3)");
  counts.bind(1, queue).bind(2, owner).bind(3, to_micros(since));
  counts.step();
  load.held = counts.integer(0);
  load.dequeued_since = counts.integer(1);
  if (auto earliest = counts.optional_integer(2)) load.earliest_since = from_micros(*earliest);
  auto active = connection.prepare(
      "SELECT partition_key, count(*) FROM queue_entries WHERE queue = ?1 AND dequeued_at IS NOT NULL AND done = 0 "
      "GROUP BY partition_key");
  active.bind(1, queue);
  while (active.step()) {
    load.active += active.integer(1);
    load.active_by_partition[active.text(0)] = active.integer(1);
  }
  return load;
}

std::int64_t count_waiting(SqliteConnection& connection, std::string_view queue) {
  auto statement =
      connection.prepare("SELECT count(*) FROM queue_entries WHERE queue = ?1 AND dequeued_at IS NULL AND done = 0");
  statement.bind(1, queue);
  statement.step();
  return statement.integer(0);
}

std::vector<QueueEntry> waiting(SqliteConnection& connection, std::string_view queue,
                                const std::vector<std::string>& workflows, std::string_view deployment,
                                std::size_t limit) {
  auto statement = connection.prepare(
      "SELECT q.run_id, q.queue, q.priority, q.partition_key, q.deduplication_id, q.enqueued_at, q.dequeued_at, "
      "q.done FROM queue_entries q JOIN runs r ON r.id = q.run_id "
      "WHERE q.queue = ?1 AND q.dequeued_at IS NULL AND q.done = 0 AND r.status = 'pending' "
      "AND r.workflow_name IN (SELECT value FROM json_each(?2)) AND r.deployment_id = ?3 "
      "ORDER BY q.priority, q.enqueued_at, q.run_id LIMIT ?4");
  statement.bind(1, queue).bind(2, Json(workflows).dump()).bind(3, deployment);
  statement.bind(4, static_cast<std::int64_t>(limit));
  std::vector<QueueEntry> result;
  while (statement.step()) result.push_back(read_entry(statement));
  return result;
}

void dequeue(SqliteConnection& connection, std::string_view run_id, std::string_view owner, TimePoint lease_until,
             TimePoint at) {
  auto entry = connection.prepare("UPDATE queue_entries SET dequeued_at = ?2 WHERE run_id = ?1");
  entry.bind(1, run_id).bind(2, to_micros(at));
  entry.run();
  auto run = connection.prepare("UPDATE runs SET owner = ?2, lease_expires_at = ?3, ready_at = ?4 WHERE id = ?1");
  run.bind(1, run_id).bind(2, owner).bind(3, to_micros(lease_until)).bind(4, to_micros(at));
  run.run();
}

}  // namespace workflow::detail::sqlite_queues
