// The retention queries of the PostgreSQL journal (docs/retention.md); each mirrors
// store/sqlite/sqlite_retention.cpp. Two processes pruning at once take different runs: the runs
// named first are claimed FOR UPDATE SKIP LOCKED, and their descendants are locked before they go.
#include "store/postgres/pg_transaction.hpp"

namespace workflow::detail {
namespace {

#define WORKFLOW_PG_PRUNE_ROOTS                                                                      \
  "SELECT id FROM runs r WHERE status IN ('completed', 'failed', 'cancelled') "                     \
  "AND status = ANY ($1::text[]) AND completed_at < $2::bigint "                                    \
  "AND NOT EXISTS (SELECT 1 FROM kept_runs k WHERE k.run_id = r.id) "                               \
  "AND (r.parent_run_id IS NULL OR r.parent_run_id = '' "                                            \
  "     OR NOT EXISTS (SELECT 1 FROM runs p WHERE p.id = r.parent_run_id))"

PgParams selection_params(const PruneSelection& selection) {
  return std::move(PgParams().add_text_array(prune_status_names(selection)).add(to_micros(selection.finished_before)));
}

}  // namespace

std::vector<std::string> PgTransaction::prune_roots(const PruneSelection& selection, std::size_t limit) {
  std::string sql = WORKFLOW_PG_PRUNE_ROOTS " ORDER BY completed_at, id LIMIT $3";
  if (writes_) sql += " FOR UPDATE SKIP LOCKED";
  auto result = run(sql.c_str(), selection_params(selection).add(static_cast<std::int64_t>(limit)));
  std::vector<std::string> ids;
  for (int row = 0; row < result.rows(); ++row) ids.push_back(result.text(row, 0));
  return ids;
}

std::vector<PrunableChild> PgTransaction::prunable_children(const std::vector<std::string>& parent_run_ids) {
  // `parent_run_id <> ''` as written lets the planner use the partial index runs_by_parent.
  std::string sql =
      "SELECT id, parent_run_id FROM runs c WHERE parent_run_id = ANY ($1::text[]) AND parent_run_id <> '' "
      "AND status IN ('completed', 'failed', 'cancelled') "
      "AND NOT EXISTS (SELECT 1 FROM kept_runs k WHERE k.run_id = c.id)";
  if (writes_) sql += " FOR UPDATE";
  auto result = run(sql.c_str(), PgParams().add_text_array(parent_run_ids));
  std::vector<PrunableChild> found;
  for (int row = 0; row < result.rows(); ++row) found.push_back({result.text(row, 0), result.text(row, 1)});
  return found;
}

PruneCounts PgTransaction::delete_runs(const std::vector<std::string>& run_ids) {
  // Nobody waits for a deletion: no notification.
  auto remove = [&](const char* sql) { return change(sql, PgParams().add_text_array(run_ids), false).affected(); };
  PruneCounts counts;
  counts.events = remove("DELETE FROM events WHERE run_id = ANY ($1::text[])");
  counts.stream_chunks = remove("DELETE FROM stream_chunks WHERE run_id = ANY ($1::text[])");
  for (const char* sql : {"DELETE FROM streams WHERE run_id = ANY ($1::text[])",
                          "DELETE FROM webhooks WHERE run_id = ANY ($1::text[])",
                          "DELETE FROM queue_entries WHERE run_id = ANY ($1::text[])",
                          "DELETE FROM detached_runs WHERE run_id = ANY ($1::text[])",
                          "DELETE FROM kept_runs WHERE run_id = ANY ($1::text[])"})
    remove(sql);
  counts.runs = remove("DELETE FROM runs WHERE id = ANY ($1::text[])");
  return counts;
}

PruneCounts PgTransaction::count_prunable(const PruneSelection& selection) {
  auto result = run("WITH RECURSIVE doomed(id) AS (" WORKFLOW_PG_PRUNE_ROOTS
                    " UNION ALL SELECT c.id FROM runs c JOIN doomed d ON c.parent_run_id = d.id "
                    "  WHERE c.parent_run_id <> '' AND c.status IN ('completed', 'failed', 'cancelled') "
                    "  AND NOT EXISTS (SELECT 1 FROM kept_runs k WHERE k.run_id = c.id)) "
                    "SELECT (SELECT count(*) FROM doomed), "
                    "(SELECT count(*) FROM events WHERE run_id IN (SELECT id FROM doomed)), "
                    "(SELECT count(*) FROM stream_chunks WHERE run_id IN (SELECT id FROM doomed))",
                    selection_params(selection));
  return {result.integer(0, 0), result.integer(0, 1), result.integer(0, 2)};
}

void PgTransaction::set_kept(std::string_view run_id, bool keep, TimePoint at) {
  if (keep)
    change("INSERT INTO kept_runs (run_id, kept_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
           PgParams().add(run_id).add(to_micros(at)), false);
  else
    change("DELETE FROM kept_runs WHERE run_id = $1", PgParams().add(run_id), false);
}

bool PgTransaction::kept(std::string_view run_id) {
  return run("SELECT 1 FROM kept_runs WHERE run_id = $1", PgParams().add(run_id)).rows() > 0;
}

JournalSize PgTransaction::journal_size() {
  // Tables with their indexes and TOAST; PostgreSQL reuses the room of deleted rows once
  // (auto)vacuum has passed, which these sizes do not show.
  auto result = run("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = current_schema() AND c.relkind = 'r'",
                    PgParams());
  return {result.integer(0, 0), std::nullopt};
}

}  // namespace workflow::detail
