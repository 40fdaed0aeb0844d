// The queue tables of the PostgreSQL journal (docs/queues.md); each query mirrors
// store/sqlite/sqlite_queues.cpp. Dequeuing from one queue is serialised across processes by
// the queue's row lock (lock_queue), so the limits read under it hold when the dequeues commit.
#include "store/postgres/pg_transaction.hpp"

namespace workflow::detail {
namespace {

#define WORKFLOW_PG_QUEUE_COLUMNS \
  "name, concurrency, worker_concurrency, rate_limit, rate_period, partition_concurrency, declared_at"

QueueRecord read_queue(const PgResult& result, int row) {
  return {result.text(row, 0),
          result.integer(row, 1),
          result.integer(row, 2),
          result.integer(row, 3),
          std::chrono::microseconds(result.integer(row, 4)),
          result.integer(row, 5),
          from_micros(result.integer(row, 6))};
}

QueueEntry read_entry(const PgResult& result, int row) {
  QueueEntry entry{result.text(row, 0), result.text(row, 1), result.integer(row, 2),
                   result.text(row, 3), result.text(row, 4), from_micros(result.integer(row, 5))};
  if (auto at = result.optional_integer(row, 6)) entry.dequeued_at = from_micros(*at);
  entry.done = result.boolean(row, 7);
  return entry;
}

}  // namespace

void PgTransaction::declare_queue(const QueueRecord& queue) {
  change("INSERT INTO queues (" WORKFLOW_PG_QUEUE_COLUMNS
         ") VALUES ($1, $2, $3, $4, $5, $6, $7) "
         "ON CONFLICT (name) DO UPDATE SET concurrency = excluded.concurrency, "
         "worker_concurrency = excluded.worker_concurrency, rate_limit = excluded.rate_limit, "
         "rate_period = excluded.rate_period, partition_concurrency = excluded.partition_concurrency, "
         "declared_at = excluded.declared_at",
         PgParams()
             .add(queue.name)
             .add(queue.concurrency)
             .add(queue.worker_concurrency)
             .add(queue.rate_limit)
             .add(static_cast<std::int64_t>(queue.rate_period.count()))
             .add(queue.partition_concurrency)
             .add(to_micros(queue.declared_at)));
}

std::vector<QueueRecord> PgTransaction::queues() {
  auto result = run("SELECT " WORKFLOW_PG_QUEUE_COLUMNS " FROM queues ORDER BY name", PgParams());
  std::vector<QueueRecord> queues;
  for (int row = 0; row < result.rows(); ++row) queues.push_back(read_queue(result, row));
  return queues;
}

std::optional<QueueRecord> PgTransaction::lock_queue(std::string_view name) {
  auto result = run(writes_ ? "SELECT " WORKFLOW_PG_QUEUE_COLUMNS " FROM queues WHERE name = $1 FOR UPDATE"
                            : "SELECT " WORKFLOW_PG_QUEUE_COLUMNS " FROM queues WHERE name = $1",
                    PgParams().add(name));
  if (result.rows() == 0) return std::nullopt;
  return read_queue(result, 0);
}

bool PgTransaction::insert_queue_entry(const QueueEntry& entry) {
  // Without a conflict target, DO NOTHING covers the partial unique index on the deduplication
  // ID too, and waits for another transaction inserting the same ID.
  return change(
             "INSERT INTO queue_entries (run_id, queue, priority, partition_key, deduplication_id, enqueued_at, "
             "dequeued_at, done) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::boolean) ON CONFLICT DO NOTHING",
             PgParams()
                 .add(entry.run_id)
                 .add(entry.queue)
                 .add(entry.priority)
                 .add(entry.partition_key)
                 .add(entry.deduplication_id)
                 .add(to_micros(entry.enqueued_at))
                 .add(optional_micros(entry.dequeued_at))
                 .add(entry.done ? "true" : "false"))
             .affected() > 0;
}

std::optional<std::string> PgTransaction::unfinished_duplicate(std::string_view queue,
                                                               std::string_view deduplication_id) {
  auto result =
      run("SELECT run_id FROM queue_entries WHERE queue = $1 AND deduplication_id = $2 "
          "AND deduplication_id <> '' AND NOT done",
          PgParams().add(queue).add(deduplication_id));
  if (result.rows() == 0) return std::nullopt;
  return result.text(0, 0);
}

std::optional<QueueEntry> PgTransaction::queue_entry(std::string_view run_id) {
  auto result =
      run("SELECT run_id, queue, priority, partition_key, deduplication_id, enqueued_at, dequeued_at, done "
          "FROM queue_entries WHERE run_id = $1",
          PgParams().add(run_id));
  if (result.rows() == 0) return std::nullopt;
  auto found = read_entry(result, 0);
  if (found.dequeued_at || found.done) return found;
  auto ahead =
      run("SELECT count(*) FROM queue_entries WHERE queue = $1 AND dequeued_at IS NULL AND NOT done "
          "AND (priority, enqueued_at, run_id) < ($2::bigint, $3::bigint, $4::text)",
          PgParams().add(found.queue).add(found.priority).add(to_micros(found.enqueued_at)).add(found.run_id));
  found.position = ahead.integer(0, 0) + 1;
  return found;
}

std::vector<std::string> PgTransaction::queues_with_waiting(const std::vector<std::string>& workflows,
                                                            std::string_view deployment) {
  // Per declared queue, the first waiting run of ours ends the search: cheap however many wait.
  auto result =
      run("SELECT name FROM queues WHERE EXISTS (SELECT 1 FROM queue_entries q JOIN runs r ON r.id = q.run_id "
          "  WHERE q.queue = queues.name AND q.dequeued_at IS NULL AND NOT q.done "
          "  AND r.workflow_name = ANY ($1::text[]) AND r.deployment_id = $2::text) ORDER BY name",
          PgParams().add_text_array(workflows).add(deployment));
  std::vector<std::string> names;
  for (int row = 0; row < result.rows(); ++row) names.push_back(result.text(row, 0));
  return names;
}

QueueLoad PgTransaction::queue_load(std::string_view queue, std::string_view owner, TimePoint since) {
  QueueLoad load;
  auto counts =
      run("SELECT (SELECT count(*) FROM queue_entries q JOIN runs r ON r.id = q.run_id WHERE q.queue = $1 "
          "  AND q.dequeued_at IS NOT NULL AND NOT q.done AND r.owner = $2::text), "
          "(SELECT count(*) FROM queue_entries WHERE queue = $1 AND dequeued_at >= $3::bigint), "
          "(SELECT min(dequeued_at) FROM queue_entries WHERE queue = $1 AND dequeued_at >= $3::bigint)",
          PgParams().add(queue).add(owner).add(to_micros(since)));
  load.held = counts.integer(0, 0);
  load.dequeued_since = counts.integer(0, 1);
  if (auto earliest = counts.optional_integer(0, 2)) load.earliest_since = from_micros(*earliest);
  auto active =
      run("SELECT partition_key, count(*) FROM queue_entries WHERE queue = $1 "
          "AND dequeued_at IS NOT NULL AND NOT done GROUP BY partition_key",
          PgParams().add(queue));
  for (int row = 0; row < active.rows(); ++row) {
    load.active += active.integer(row, 1);
    load.active_by_partition[active.text(row, 0)] = active.integer(row, 1);
  }
  return load;
}

std::int64_t PgTransaction::count_waiting(std::string_view queue) {
  return run("SELECT count(*) FROM queue_entries WHERE queue = $1 AND dequeued_at IS NULL AND NOT done",
             PgParams().add(queue))
      .integer(0, 0);
}

std::vector<QueueEntry> PgTransaction::waiting_entries(std::string_view queue,
                                                       const std::vector<std::string>& workflows,
                                                       std::string_view deployment, std::size_t limit) {
  // A run another transaction holds (being cancelled, say) is skipped, not waited for: the queue's
  // lock is held meanwhile by this one.
  auto result =
      run(writes_ ? "SELECT q.run_id, q.queue, q.priority, q.partition_key, q.deduplication_id, q.enqueued_at, "
                    "q.dequeued_at, q.done FROM queue_entries q JOIN runs r ON r.id = q.run_id "
                    "WHERE q.queue = $1 AND q.dequeued_at IS NULL AND NOT q.done AND r.status = 'pending' "
                    "AND r.workflow_name = ANY ($2::text[]) AND r.deployment_id = $3::text "
                    "ORDER BY q.priority, q.enqueued_at, q.run_id LIMIT $4::bigint FOR UPDATE OF r SKIP LOCKED"
                  : "SELECT q.run_id, q.queue, q.priority, q.partition_key, q.deduplication_id, q.enqueued_at, "
                    "q.dequeued_at, q.done FROM queue_entries q JOIN runs r ON r.id = q.run_id "
                    "WHERE q.queue = $1 AND q.dequeued_at IS NULL AND NOT q.done AND r.status = 'pending' "
                    "AND r.workflow_name = ANY ($2::text[]) AND r.deployment_id = $3::text "
                    "ORDER BY q.priority, q.enqueued_at, q.run_id LIMIT $4::bigint",
          PgParams().add(queue).add_text_array(workflows).add(deployment).add(static_cast<std::int64_t>(limit)));
  std::vector<QueueEntry> entries;
  for (int row = 0; row < result.rows(); ++row) entries.push_back(read_entry(result, row));
  return entries;
}

RunRecord PgTransaction::dequeue_run(std::string_view run_id, std::string_view owner, TimePoint lease_until,
                                     TimePoint at) {
  // The run goes on being held by its dequeuer: nobody else's business, no notification.
  change("UPDATE queue_entries SET dequeued_at = $2::bigint WHERE run_id = $1",
         PgParams().add(run_id).add(to_micros(at)), /*news=*/false);
  change("UPDATE runs SET owner = $2::text, lease_expires_at = $3::bigint, ready_at = $4::bigint WHERE id = $1",
         PgParams().add(run_id).add(owner).add(to_micros(lease_until)).add(to_micros(at)), /*news=*/false);
  return find_run(run_id).value();
}

}  // namespace workflow::detail
