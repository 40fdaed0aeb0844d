// The journal's queries in PostgreSQL's dialect; each mirrors the SQLite backend's.
#include "store/postgres/pg_transaction.hpp"

#include "store/record_codec.hpp"

#include <algorithm>

namespace workflow::detail {
namespace {

#define WORKFLOW_PG_RUN_COLUMNS                                                               \
  "id, workflow_name, deployment_id, status, input, output, error, created_at, started_at, " \
  "completed_at, updated_at, owner, lease_expires_at, ready_at, recovery_count, parent_run_id, attempt, checksum"

#define WORKFLOW_PG_ACTIVE_STATUSES "status IN ('pending', 'running', 'waiting')"

std::optional<TimePoint> optional_time(const PgResult& result, int row, int column) {
  auto value = result.optional_integer(row, column);
  if (!value) return std::nullopt;
  return from_micros(*value);
}

std::optional<std::string> optional_text(const PgResult& result, int row, int column) {
  if (result.is_null(row, column)) return std::nullopt;
  return result.text(row, column);
}

RunRecord read_run(const PgResult& result, int row) {
  RunRecord run;
  run.id = result.text(row, 0);
  run.workflow_name = result.text(row, 1);
  run.deployment_id = result.text(row, 2);
  run.status = parse_run_status(result.text(row, 3)).value_or(RunStatus::pending);
  run.created_at = from_micros(result.integer(row, 7));
  run.started_at = optional_time(result, row, 8);
  run.completed_at = optional_time(result, row, 9);
  run.updated_at = from_micros(result.integer(row, 10));
  run.owner = result.text(row, 11);
  run.lease_expires_at = from_micros(result.optional_integer(row, 12).value_or(0));
  run.ready_at = optional_time(result, row, 13);
  run.recovery_count = static_cast<int>(result.integer(row, 14));
  run.parent_run_id = result.text(row, 15);
  run.attempt = static_cast<int>(result.integer(row, 16));
  decode_run_content(run, result.text(row, 4), optional_text(result, row, 5), optional_text(result, row, 6),
                     result.optional_integer(row, 17));
  return run;
}

std::vector<RunRecord> read_runs(const PgResult& result) {
  std::vector<RunRecord> runs;
  runs.reserve(static_cast<std::size_t>(result.rows()));
  for (int row = 0; row < result.rows(); ++row) runs.push_back(read_run(result, row));
  return runs;
}

// Every column of `run` in WORKFLOW_PG_RUN_COLUMNS order, as $1..$17.
PgParams run_params(const RunRecord& run) {
  auto content = encode_run_content(run);
  PgParams params;
  params.add(run.id).add(run.workflow_name).add(run.deployment_id).add(to_string(run.status));
  params.add(content.input);
  if (content.output) params.add(*content.output);
  else params.add_null();
  if (run.error.is_null()) params.add_null();
  else params.add(run.error.dump());
  params.add(to_micros(run.created_at)).add(optional_micros(run.started_at));
  params.add(optional_micros(run.completed_at)).add(to_micros(run.updated_at));
  if (run.owner.empty()) params.add_null().add_null();
  else params.add(run.owner).add(to_micros(run.lease_expires_at));
  params.add(optional_micros(run.ready_at)).add(std::int64_t{run.recovery_count}).add(run.parent_run_id);
  params.add(std::int64_t{run.attempt}).add(content.checksum);
  return params;
}

}  // namespace

PgTransaction::PgTransaction(PgConnection& connection, bool writes, std::string notify_sql,
                             std::function<void()> done)
    : connection_(connection), writes_(writes), notify_sql_(std::move(notify_sql)), done_(std::move(done)) {}

PgTransaction::~PgTransaction() {
  // A broken connection has no transaction left to roll back; the store discards it.
  if (!committed_ && !connection_.broken()) PQclear(PQexec(connection_.handle(), "ROLLBACK"));
  done_();
}

PgResult PgTransaction::run(const char* sql, const PgParams& params) {
  // The server would only answer "current transaction is aborted"; the first error says why.
  if (first_error_) std::rethrow_exception(first_error_);
  try {
    return connection_.run(sql, params);
  } catch (...) {
    first_error_ = std::current_exception();
    throw;
  }
}

PgResult PgTransaction::change(const char* sql, const PgParams& params, bool news) {
  auto result = run(sql, params);
  if (news && result.affected() > 0) newsworthy_ = true;
  return result;
}

std::optional<RunRecord> PgTransaction::find_run(std::string_view run_id) {
  auto result = run(writes_ ? "SELECT " WORKFLOW_PG_RUN_COLUMNS " FROM runs WHERE id = $1 FOR UPDATE"
                            : "SELECT " WORKFLOW_PG_RUN_COLUMNS " FROM runs WHERE id = $1",
                    PgParams().add(run_id));
  if (result.rows() == 0) return std::nullopt;
  return read_run(result, 0);
}

std::optional<RunFence> PgTransaction::fence(std::string_view run_id) {
  auto result = run(writes_ ? "SELECT status, owner, attempt FROM runs WHERE id = $1 FOR UPDATE"
                            : "SELECT status, owner, attempt FROM runs WHERE id = $1",
                    PgParams().add(run_id));
  if (result.rows() == 0) return std::nullopt;
  return RunFence{parse_run_status(result.text(0, 0)).value_or(RunStatus::pending), result.text(0, 1),
                  static_cast<int>(result.integer(0, 2))};
}

bool PgTransaction::insert_run(const RunRecord& run) {
  // ON CONFLICT waits for another transaction inserting the same ID, and does nothing if it commits.
  return change("INSERT INTO runs (" WORKFLOW_PG_RUN_COLUMNS
                ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) "
                "ON CONFLICT (id) DO NOTHING",
                run_params(run))
             .affected() > 0;
}

void PgTransaction::update_run(const RunRecord& run) {
  // A run its owner goes on executing (a step recorded) is nobody else's business; one left
  // unowned (due, waiting, released) or ended is: schedulers, return_value() and stream readers.
  bool news = run.owner.empty() || is_final(run.status);
  if (run.damage) {
    // Its status, owner and times may change (it is released, woken, cancelled, set aside); its
    // checksummed columns and checksum stay as they are, so the damage stays visible.
    PgParams params;
    params.add(run.id).add(to_string(run.status));
    if (run.error.is_null()) params.add_null();
    else params.add(run.error.dump());
    params.add(optional_micros(run.started_at)).add(optional_micros(run.completed_at)).add(to_micros(run.updated_at));
    if (run.owner.empty()) params.add_null().add_null();
    else params.add(run.owner).add(to_micros(run.lease_expires_at));
    params.add(optional_micros(run.ready_at)).add(std::int64_t{run.recovery_count}).add(std::int64_t{run.attempt});
    change("UPDATE runs SET status = $2, error = $3, started_at = $4, completed_at = $5, updated_at = $6, "
           "owner = $7, lease_expires_at = $8, ready_at = $9, recovery_count = $10, attempt = $11 WHERE id = $1",
           params, news);
    return;
  }
  change("UPDATE runs SET workflow_name = $2, deployment_id = $3, status = $4, input = $5, output = $6, "
         "error = $7, created_at = $8, started_at = $9, completed_at = $10, updated_at = $11, owner = $12, "
         "lease_expires_at = $13, ready_at = $14, recovery_count = $15, parent_run_id = $16, attempt = $17, "
         "checksum = $18 "
         "WHERE id = $1",
         run_params(run), news);
}

std::int64_t PgTransaction::append_event(const Event& event) {
  // Its run's own business: whoever waits for it reads it with the run's next news.
  auto data = event.data.dump();
  auto result = change("INSERT INTO events (run_id, type, correlation_id, position, step_name, data, created_at, "
         "checksum) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
         PgParams()
             .add(event.run_id)
             .add(to_string(event.type))
             .add(event.correlation_id)
             .add(event.position)
             .add(event.step_name)
             .add(data)
             .add(to_micros(event.created_at))
             .add(event_checksum(event, data)),
         /*news=*/false);
  return result.integer(0, 0);
}

std::vector<Event> PgTransaction::events(std::string_view run_id) {
  auto result = run("SELECT id, run_id, type, correlation_id, position, step_name, data, created_at, checksum "
                    "FROM events WHERE run_id = $1 ORDER BY id",
                    PgParams().add(run_id));
  std::vector<Event> events;
  events.reserve(static_cast<std::size_t>(result.rows()));
  for (int row = 0; row < result.rows(); ++row) {
    events.push_back(decode_event({result.integer(row, 0), result.text(row, 1), result.text(row, 2),
                                   result.text(row, 3), result.integer(row, 4), result.text(row, 5),
                                   result.text(row, 6), result.integer(row, 7), result.optional_integer(row, 8)}));
  }
  return events;
}

std::vector<RunRecord> PgTransaction::list_runs(const RunFilter& filter) {
  PgParams params;
  if (filter.status) params.add(to_string(*filter.status));
  else params.add_null();
  params.add(filter.workflow_name).add(optional_micros(filter.created_after)).add(filter.before_id);
  params.add(static_cast<std::int64_t>(filter.limit));
  return read_runs(run(
      "SELECT " WORKFLOW_PG_RUN_COLUMNS " FROM runs "
      "WHERE ($1::text IS NULL OR status = $1::text) AND ($2::text = '' OR workflow_name = $2::text) "
      "AND ($3::bigint IS NULL OR created_at > $3::bigint) "
      "AND ($4::text = '' OR (created_at, id) < (SELECT created_at, id FROM runs WHERE id = $4::text)) "
      "ORDER BY created_at DESC, id DESC LIMIT $5::bigint",
      params));
}

std::vector<RunRecord> PgTransaction::claim_due_runs(const ClaimRequest& request) {
  // One statement: the rows are chosen and locked (skipping those another transaction holds) and
  // updated at once, so two claimers never take the same run. RETURNING gives the updated rows.
  PgParams params;
  params.add(to_micros(request.now)).add_text_array(request.workflows).add(request.deployment);
  params.add_text_array(request.dead_owners).add(static_cast<std::int64_t>(request.limit));
  params.add(request.owner).add(to_micros(request.lease_until)).add(request.queue);
  // A run dequeued from a queue with a per-worker limit is its dispatcher's (docs/queues.md).
  auto result = change(
      "WITH due AS ("
      "  SELECT id AS due_id, owner AS previous_owner FROM runs WHERE " WORKFLOW_PG_ACTIVE_STATUSES
      "  AND ready_at <= $1::bigint AND workflow_name = ANY ($2::text[]) AND deployment_id = $3::text "
      "  AND (owner IS NULL OR lease_expires_at < $1::bigint OR owner = ANY ($4::text[])) "
      "  AND CASE WHEN $8::text = '' THEN NOT EXISTS (SELECT 1 FROM queue_entries q JOIN queues qs "
      "      ON qs.name = q.queue WHERE q.run_id = runs.id AND q.dequeued_at IS NOT NULL AND NOT q.done "
      "      AND qs.worker_concurrency > 0) "
      "    ELSE EXISTS (SELECT 1 FROM queue_entries q WHERE q.run_id = runs.id AND q.queue = $8::text "
      "      AND q.dequeued_at IS NOT NULL AND NOT q.done) END "
      "  ORDER BY ready_at LIMIT $5::bigint FOR UPDATE SKIP LOCKED) "
      "UPDATE runs SET owner = $6::text, lease_expires_at = $7::bigint, recovery_count = recovery_count + "
      "  CASE WHEN owner IS NOT NULL AND owner <> $6::text THEN 1 ELSE 0 END "
      "FROM due WHERE id = due.due_id RETURNING " WORKFLOW_PG_RUN_COLUMNS ", due.previous_owner",
      params, /*news=*/false);
  auto claimed = read_runs(result);
  // The column after the run's: who held it before this claim.
  const int previous_owner = 18;
  for (int row = 0; row < result.rows(); ++row) {
    if (result.is_null(row, previous_owner)) continue;
    auto before = result.text(row, previous_owner);
    claimed[static_cast<std::size_t>(row)].taken_over = !before.empty() && before != request.owner;
  }
  // RETURNING keeps no order.
  std::stable_sort(claimed.begin(), claimed.end(),
                   [](const RunRecord& a, const RunRecord& b) { return a.ready_at < b.ready_at; });
  return claimed;
}

std::optional<TimePoint> PgTransaction::next_due(const std::vector<std::string>& workflows,
                                                 std::string_view deployment) {
  auto result = run(
      "SELECT min(CASE WHEN owner IS NULL THEN ready_at ELSE greatest(ready_at, lease_expires_at) END) "
      "FROM runs WHERE " WORKFLOW_PG_ACTIVE_STATUSES
      " AND ready_at IS NOT NULL AND workflow_name = ANY ($1::text[]) AND deployment_id = $2::text",
      PgParams().add_text_array(workflows).add(deployment));
  if (result.rows() == 0) return std::nullopt;
  return optional_time(result, 0, 0);
}

std::vector<std::string> PgTransaction::lease_holders() {
  auto result = run("SELECT DISTINCT owner FROM runs WHERE owner IS NOT NULL", PgParams());
  std::vector<std::string> holders;
  for (int row = 0; row < result.rows(); ++row) holders.push_back(result.text(row, 0));
  return holders;
}

std::vector<std::string> PgTransaction::runs_held_by(std::string_view owner) {
  auto result = run("SELECT id FROM runs WHERE owner = $1::text", PgParams().add(owner));
  std::vector<std::string> ids;
  for (int row = 0; row < result.rows(); ++row) ids.push_back(result.text(row, 0));
  return ids;
}

void PgTransaction::extend_leases(std::string_view owner, TimePoint until) {
  change("UPDATE runs SET lease_expires_at = $2::bigint WHERE owner = $1::text",
         PgParams().add(owner).add(to_micros(until)), /*news=*/false);
}

void PgTransaction::release_runs(std::string_view owner) {
  change("UPDATE runs SET owner = NULL, lease_expires_at = NULL WHERE owner = $1::text", PgParams().add(owner));
}

StreamState PgTransaction::lock_stream(std::string_view run_id, std::string_view name_space) {
  constexpr const char* kLock = "SELECT length, closed FROM streams WHERE run_id = $1 AND namespace = $2 FOR UPDATE";
  auto params = PgParams().add(run_id).add(name_space);
  auto result = run(kLock, params);
  if (result.rows() == 0) {
    // A concurrent creator's row is waited for, then left as it is: both lock the same row next.
    change("INSERT INTO streams (run_id, namespace) VALUES ($1, $2) ON CONFLICT DO NOTHING", params);
    result = run(kLock, params);
  }
  StreamState state{std::string(name_space)};
  if (result.rows() > 0) {
    state.length = result.integer(0, 0);
    state.closed = result.boolean(0, 1);
  }
  return state;
}

bool PgTransaction::append_stream_chunk(std::string_view run_id, std::string_view name_space,
                                        std::string_view writer_key, std::string_view json_text, TimePoint at) {
  // The stream's row stays locked until commit, so concurrent appenders take consecutive indexes.
  auto state = lock_stream(run_id, name_space);
  if (state.closed) return false;
  // The chunk is inserted unless its writer key is there already; the length grows only if it was.
  auto appended = change(
      "WITH chunk AS (INSERT INTO stream_chunks (run_id, namespace, idx, writer_key, data, created_at, checksum) "
      "  VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (run_id, namespace, writer_key) DO NOTHING RETURNING 1) "
      "UPDATE streams SET length = length + 1 WHERE run_id = $1 AND namespace = $2 AND EXISTS (SELECT 1 FROM chunk)",
      PgParams().add(run_id).add(name_space).add(state.length).add(writer_key).add(json_text).add(to_micros(at))
          .add(chunk_checksum(run_id, name_space, writer_key, json_text, to_micros(at))));
  return appended.affected() > 0;
}

std::int64_t PgTransaction::count_stream_chunks(std::string_view run_id, std::string_view name_space,
                                                std::string_view key_prefix) {
  // A plain prefix comparison: LIKE would treat '%' and '_' in keys as patterns.
  auto result = run("SELECT count(*) FROM stream_chunks WHERE run_id = $1 AND namespace = $2 "
                    "AND left(writer_key, length($3::text)) = $3::text",
                    PgParams().add(run_id).add(name_space).add(key_prefix));
  return result.integer(0, 0);
}

void PgTransaction::close_stream(std::string_view run_id, std::string_view name_space) {
  change("INSERT INTO streams (run_id, namespace, closed) VALUES ($1, $2, true) "
         "ON CONFLICT (run_id, namespace) DO UPDATE SET closed = true",
         PgParams().add(run_id).add(name_space));
}

void PgTransaction::reopen_streams(std::string_view run_id) {
  change("UPDATE streams SET closed = false WHERE run_id = $1 AND closed", PgParams().add(run_id));
}

StreamSlice PgTransaction::read_stream(std::string_view run_id, std::string_view name_space, std::int64_t from,
                                       std::size_t limit) {
  StreamSlice slice;
  slice.state.name_space = std::string(name_space);
  auto params = PgParams().add(run_id).add(name_space);
  auto state = run("SELECT length, closed FROM streams WHERE run_id = $1 AND namespace = $2", params);
  if (state.rows() > 0) {
    slice.state.length = state.integer(0, 0);
    slice.state.closed = state.boolean(0, 1);
  }
  auto chunks = run("SELECT idx, data, created_at, writer_key, checksum FROM stream_chunks "
                    "WHERE run_id = $1 AND namespace = $2 AND idx >= $3::bigint ORDER BY idx LIMIT $4::bigint",
                    params.add(from).add(static_cast<std::int64_t>(limit)));
  for (int row = 0; row < chunks.rows(); ++row) {
    auto index = chunks.integer(row, 0);
    auto written_at = chunks.integer(row, 2);
    slice.chunks.push_back({index,
                            decode_chunk(run_id, name_space, index, chunks.text(row, 3), chunks.text(row, 1),
                                         written_at, chunks.optional_integer(row, 4)),
                            from_micros(written_at)});
  }
  return slice;
}

std::vector<StreamState> PgTransaction::streams(std::string_view run_id) {
  auto result = run("SELECT namespace, length, closed FROM streams WHERE run_id = $1 ORDER BY namespace",
                    PgParams().add(run_id));
  std::vector<StreamState> streams;
  for (int row = 0; row < result.rows(); ++row)
    streams.push_back({result.text(row, 0), result.integer(row, 1), result.boolean(row, 2)});
  return streams;
}

std::vector<StoredChunk> PgTransaction::stream_chunks(std::string_view run_id, std::string_view name_space) {
  auto result = run("SELECT idx, writer_key, data, created_at, checksum FROM stream_chunks "
                    "WHERE run_id = $1 AND namespace = $2 ORDER BY idx",
                    PgParams().add(run_id).add(name_space));
  std::vector<StoredChunk> chunks;
  for (int row = 0; row < result.rows(); ++row) {
    StoredChunk chunk{result.integer(row, 0), result.text(row, 1), result.text(row, 2),
                      from_micros(result.integer(row, 3))};
    // Checked, so a copy does not give a damaged chunk a fresh checksum.
    decode_chunk(run_id, name_space, chunk.index, chunk.writer_key, chunk.json_text, result.integer(row, 3),
                 result.optional_integer(row, 4));
    chunks.push_back(std::move(chunk));
  }
  return chunks;
}

void PgTransaction::insert_webhook(const WebhookRecord& hook) {
  // Not news: the worker that creates a webhook goes on holding its run.
  change("INSERT INTO webhooks (token_hash, run_id, attempt, correlation_id, single_use, used, max_body_bytes, "
         "created_at) VALUES ($1, $2, $3::integer, $4, $5::boolean, $6::boolean, $7, $8) "
         "ON CONFLICT (token_hash) DO NOTHING",
         PgParams()
             .add(hook.token_hash)
             .add(hook.run_id)
             .add(std::int64_t{hook.attempt})
             .add(hook.correlation_id)
             .add(hook.single_use ? "true" : "false")
             .add(hook.used ? "true" : "false")
             .add(hook.max_body_bytes)
             .add(to_micros(hook.created_at)),
         false);
}

std::optional<WebhookRecord> PgTransaction::find_webhook(std::string_view token_hash) {
  std::string sql =
      "SELECT token_hash, run_id, attempt, correlation_id, single_use, used, max_body_bytes, created_at "
      "FROM webhooks WHERE token_hash = $1";
  if (writes_) sql += " FOR UPDATE";
  auto result = run(sql.c_str(), PgParams().add(token_hash));
  if (result.rows() == 0) return std::nullopt;
  return WebhookRecord{result.text(0, 0),    result.text(0, 1),    static_cast<int>(result.integer(0, 2)),
                       result.text(0, 3),    result.boolean(0, 4), result.boolean(0, 5),
                       result.integer(0, 6), from_micros(result.integer(0, 7))};
}

void PgTransaction::mark_webhook_used(std::string_view token_hash) {
  change("UPDATE webhooks SET used = true WHERE token_hash = $1", PgParams().add(token_hash), false);
}

std::vector<RunTally> PgTransaction::tally_runs(TimePoint now) {
  auto result = run("SELECT workflow_name, status, count(*), "
                    "min(CASE WHEN status = 'pending' AND ready_at <= $1::bigint THEN ready_at END) "
                    "FROM runs GROUP BY workflow_name, status ORDER BY workflow_name, status",
                    PgParams().add(to_micros(now)));
  std::vector<RunTally> tallies;
  for (int row = 0; row < result.rows(); ++row) {
    auto status = parse_run_status(result.text(row, 1));
    if (!status) continue;  // a damaged status is not counted as any
    tallies.push_back({result.text(row, 0), *status, result.integer(row, 2), optional_time(result, row, 3)});
  }
  return tallies;
}

std::vector<std::string> PgTransaction::attached_unfinished_children(std::string_view parent_run_id) {
  // `parent_run_id <> ''` as written lets the planner use the partial index runs_by_parent.
  auto result = run("SELECT id FROM runs WHERE parent_run_id = $1 AND parent_run_id <> '' "
                    "AND status NOT IN ('completed', 'failed', 'cancelled') "
                    "AND NOT EXISTS (SELECT 1 FROM detached_runs d WHERE d.run_id = runs.id)",
                    PgParams().add(parent_run_id));
  std::vector<std::string> ids;
  for (int row = 0; row < result.rows(); ++row) ids.push_back(result.text(row, 0));
  return ids;
}

void PgTransaction::mark_detached(std::string_view run_id) {
  // Written with the run's insert, whose commit notifies.
  change("INSERT INTO detached_runs (run_id) VALUES ($1) ON CONFLICT DO NOTHING", PgParams().add(run_id),
         /*news=*/false);
}

void PgTransaction::register_workflow(const WorkflowRegistration& registration) {
  change("INSERT INTO workflows (id, deployment_id, registered_at) VALUES ($1, $2, $3) "
         "ON CONFLICT (id, deployment_id) DO UPDATE SET registered_at = excluded.registered_at",
         PgParams().add(registration.id).add(registration.deployment_id).add(to_micros(registration.registered_at)));
}

std::vector<WorkflowRegistration> PgTransaction::workflows() {
  auto result = run("SELECT id, deployment_id, registered_at FROM workflows ORDER BY id, registered_at", PgParams());
  std::vector<WorkflowRegistration> registrations;
  for (int row = 0; row < result.rows(); ++row)
    registrations.push_back({result.text(row, 0), result.text(row, 1), from_micros(result.integer(row, 2))});
  return registrations;
}

void PgTransaction::commit() {
  if (first_error_) std::rethrow_exception(first_error_);
  // NOTIFY is delivered at commit; sent with the COMMIT it costs no extra round trip.
  std::string sql = newsworthy_ && !notify_sql_.empty() ? notify_sql_ + "; COMMIT" : "COMMIT";
  PgResult result;
  try {
    result = connection_.exec(sql);
  } catch (const PgConnectionLostError& lost) {
    first_error_ = std::current_exception();
    throw PgConnectionLostError(std::string(lost.what()) + "; whether the transaction was committed is unknown",
                                lost.reason());
  } catch (...) {
    first_error_ = std::current_exception();
    throw;
  }
  // A transaction that an error aborted answers COMMIT with ROLLBACK, not with an error.
  if (result.command_status() != "COMMIT")
    throw StorageError("workflow journal " + connection_.target().location +
                       ": the transaction was rolled back by the server; nothing was committed");
  committed_ = true;
}

}  // namespace workflow::detail
