// The retention queries of the SQLite journal. Lists of runs and statuses are bound as one JSON
// array each and read back with json_each, so a statement's text does not depend on their length.
#include "store/sqlite/sqlite_retention.hpp"

#include <workflow/serialization.hpp>

namespace workflow::detail::sqlite_retention {
namespace {

// The runs a selection names first. `status IN (...)` is written as in the partial index
// runs_finished, so that SQLite walks it in order of completion.
#define WORKFLOW_SQLITE_PRUNE_ROOTS                                                                  \
  "SELECT id FROM runs r WHERE status IN ('completed', 'failed', 'cancelled') "                     \
  "AND status IN (SELECT value FROM json_each(?1)) AND completed_at < ?2 "                          \
  "AND NOT EXISTS (SELECT 1 FROM kept_runs k WHERE k.run_id = r.id) "                               \
  "AND (r.parent_run_id IS NULL OR r.parent_run_id = '' "                                            \
  "     OR NOT EXISTS (SELECT 1 FROM runs p WHERE p.id = r.parent_run_id))"

std::string json_list(const std::vector<std::string>& values) { return Json(values).dump(); }

void bind_selection(Statement& statement, const PruneSelection& selection) {
  statement.bind(1, json_list(prune_status_names(selection))).bind(2, to_micros(selection.finished_before));
}

std::int64_t delete_where_run_in(SqliteConnection& connection, const char* sql, const std::string& run_ids) {
  auto statement = connection.prepare(sql);
  statement.bind(1, run_ids);
  statement.run();
  return sqlite3_changes(connection.handle());
}

}  // namespace

std::vector<std::string> roots(SqliteConnection& connection, const PruneSelection& selection, std::size_t limit) {
  auto statement = connection.prepare(WORKFLOW_SQLITE_PRUNE_ROOTS " ORDER BY completed_at, id LIMIT ?3");
  bind_selection(statement, selection);
  statement.bind(3, static_cast<std::int64_t>(limit));
  std::vector<std::string> ids;
  while (statement.step()) ids.push_back(statement.text(0));
  return ids;
}

std::vector<PrunableChild> children(SqliteConnection& connection, const std::vector<std::string>& parent_run_ids) {
  // `parent_run_id <> ''` as written lets SQLite use the partial index runs_by_parent.
  auto statement = connection.prepare(
      "SELECT id, parent_run_id FROM runs c WHERE parent_run_id IN (SELECT value FROM json_each(?1)) "
      "AND parent_run_id <> '' AND status IN ('completed', 'failed', 'cancelled') "
      "AND NOT EXISTS (SELECT 1 FROM kept_runs k WHERE k.run_id = c.id)");
  statement.bind(1, json_list(parent_run_ids));
  std::vector<PrunableChild> found;
  while (statement.step()) found.push_back({statement.text(0), statement.text(1)});
  return found;
}

PruneCounts remove(SqliteConnection& connection, const std::vector<std::string>& run_ids) {
  auto ids = json_list(run_ids);
  PruneCounts counts;
  counts.events = delete_where_run_in(connection, "DELETE FROM events WHERE run_id IN (SELECT value FROM json_each(?1))", ids);
  counts.stream_chunks = delete_where_run_in(
      connection, "DELETE FROM stream_chunks WHERE run_id IN (SELECT value FROM json_each(?1))", ids);
  for (const char* sql : {"DELETE FROM streams WHERE run_id IN (SELECT value FROM json_each(?1))",
                          "DELETE FROM webhooks WHERE run_id IN (SELECT value FROM json_each(?1))",
                          "DELETE FROM queue_entries WHERE run_id IN (SELECT value FROM json_each(?1))",
                          "DELETE FROM detached_runs WHERE run_id IN (SELECT value FROM json_each(?1))",
                          "DELETE FROM kept_runs WHERE run_id IN (SELECT value FROM json_each(?1))"})
    delete_where_run_in(connection, sql, ids);
  counts.runs = delete_where_run_in(connection, "DELETE FROM runs WHERE id IN (SELECT value FROM json_each(?1))", ids);
  return counts;
}

PruneCounts count(SqliteConnection& connection, const PruneSelection& selection) {
  auto statement = connection.prepare(
      "WITH RECURSIVE doomed(id) AS (" WORKFLOW_SQLITE_PRUNE_ROOTS
      " UNION ALL SELECT c.id FROM runs c JOIN doomed d ON c.parent_run_id = d.id "
      "  WHERE c.parent_run_id <> '' AND c.status IN ('completed', 'failed', 'cancelled') "
      "  AND NOT EXISTS (SELECT 1 FROM kept_runs k WHERE k.run_id = c.id)) "
      "SELECT (SELECT count(*) FROM doomed), "
      "(SELECT count(*) FROM events WHERE run_id IN (SELECT id FROM doomed)), "
      "(SELECT count(*) FROM stream_chunks WHERE run_id IN (SELECT id FROM doomed))");
  bind_selection(statement, selection);
  statement.step();
  return {statement.integer(0), statement.integer(1), statement.integer(2)};
}

void set_kept(SqliteConnection& connection, std::string_view run_id, bool keep, TimePoint at) {
  auto statement = connection.prepare(keep ? "INSERT INTO kept_runs (run_id, kept_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING"
                                           : "DELETE FROM kept_runs WHERE run_id = ?1");
  statement.bind(1, run_id);
  if (keep) statement.bind(2, to_micros(at));
  statement.run();
}

bool kept(SqliteConnection& connection, std::string_view run_id) {
  auto statement = connection.prepare("SELECT 1 FROM kept_runs WHERE run_id = ?1");
  statement.bind(1, run_id);
  return statement.step();
}

JournalSize size(SqliteConnection& connection) {
  auto page_size = connection.query_integer("PRAGMA page_size");
  return {connection.query_integer("PRAGMA page_count") * page_size,
          connection.query_integer("PRAGMA freelist_count") * page_size};
}

}  // namespace workflow::detail::sqlite_retention
