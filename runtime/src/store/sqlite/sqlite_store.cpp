// SQLite implementation of the journal store.
#include "store/sqlite/sqlite_store.hpp"

#include "store/record_codec.hpp"
#include "store/sqlite/sqlite_migrations.hpp"
#include "store/sqlite/sqlite_schedules.hpp"
#include "store/sqlite/sqlite_queues.hpp"
#include "store/sqlite/sqlite_retention.hpp"

#include <workflow/errors.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <thread>

namespace workflow::detail {
namespace {

// 4 MiB: a little more than SQLite's default checkpoint threshold of 1000 pages.
constexpr std::int64_t kWalReserveBytes = 4 * 1024 * 1024 + 64 * 1024;

#define WORKFLOW_RUN_COLUMNS                                                                 \
  "id, workflow_name, deployment_id, status, input, output, error, created_at, started_at, " \
  "completed_at, updated_at, owner, lease_expires_at, ready_at, recovery_count, parent_run_id, attempt, checksum"

#define WORKFLOW_ACTIVE_STATUSES "status IN ('pending', 'running', 'waiting')"

// A run dequeued from a queue with a per-worker limit and not ended (docs/queues.md).
#define WORKFLOW_HELD_BY_A_LIMITED_QUEUE                                                       \
  "SELECT 1 FROM queue_entries q JOIN queues qs ON qs.name = q.queue WHERE q.run_id = runs.id " \
  "AND q.dequeued_at IS NOT NULL AND q.done = 0 AND qs.worker_concurrency > 0"

std::optional<TimePoint> optional_time(const Statement& row, int column) {
  auto value = row.optional_integer(column);
  if (!value) return std::nullopt;
  return from_micros(*value);
}

std::optional<std::string> optional_text(const Statement& row, int column) {
  if (row.is_null(column)) return std::nullopt;
  return row.text(column);
}

RunRecord read_run(const Statement& row) {
  RunRecord run;
  run.id = row.text(0);
  run.workflow_name = row.text(1);
  run.deployment_id = row.text(2);
  run.status = parse_run_status(row.text(3)).value_or(RunStatus::pending);
  run.created_at = from_micros(row.integer(7));
  run.started_at = optional_time(row, 8);
  run.completed_at = optional_time(row, 9);
  run.updated_at = from_micros(row.integer(10));
  run.owner = row.text(11);
  run.lease_expires_at = from_micros(row.optional_integer(12).value_or(0));
  run.ready_at = optional_time(row, 13);
  run.recovery_count = static_cast<int>(row.integer(14));
  run.parent_run_id = row.text(15);
  run.attempt = static_cast<int>(row.integer(16));
  decode_run_content(run, row.text(4), optional_text(row, 5), optional_text(row, 6), row.optional_integer(17));
  return run;
}

// Binds every column of `run` in WORKFLOW_RUN_COLUMNS order, starting at parameter 1.
void bind_run(Statement& statement, const RunRecord& run) {
  auto content = encode_run_content(run);
  statement.bind(1, run.id).bind(2, run.workflow_name).bind(3, run.deployment_id);
  statement.bind(4, to_string(run.status)).bind(5, content.input);
  if (content.output) statement.bind(6, *content.output);
  else statement.bind_null(6);
  if (run.error.is_null()) statement.bind_null(7);
  else statement.bind(7, run.error.dump());
  statement.bind(8, to_micros(run.created_at)).bind(9, optional_micros(run.started_at));
  statement.bind(10, optional_micros(run.completed_at)).bind(11, to_micros(run.updated_at));
  if (run.owner.empty()) statement.bind_null(12).bind_null(13);
  else statement.bind(12, run.owner).bind(13, to_micros(run.lease_expires_at));
  statement.bind(14, optional_micros(run.ready_at));
  statement.bind(15, static_cast<std::int64_t>(run.recovery_count)).bind(16, run.parent_run_id);
  statement.bind(17, static_cast<std::int64_t>(run.attempt)).bind(18, content.checksum);
}

std::string json_array(const std::vector<std::string>& values) { return Json(values).dump(); }

// `file:<path>?immutable=1`: read without locks or the shared-memory file.
std::string immutable_uri(const std::string& path) {
  std::string uri = "file:";
  for (unsigned char c : path) {
    if (c == '?' || c == '#' || c == '%' || c < 0x20 || c >= 0x7f) {
      static constexpr char kHex[] = "0123456789ABCDEF";
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 15];
    } else {
      uri += static_cast<char>(c);
    }
  }
  return uri + "?immutable=1";
}

class SqliteTransaction final : public StoreTransaction {
 public:
  SqliteTransaction(SqliteConnection& connection, const char* begin, std::function<void()> done)
      : connection_(connection), done_(std::move(done)) {
    connection_.exec(begin);
  }

  ~SqliteTransaction() override {
    if (!committed_) sqlite3_exec(connection_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    done_();
  }

  std::optional<RunRecord> find_run(std::string_view run_id) override {
    auto statement = connection_.prepare("SELECT " WORKFLOW_RUN_COLUMNS " FROM runs WHERE id = ?");
    statement.bind(1, run_id);
    if (!statement.step()) return std::nullopt;
    return read_run(statement);
  }

  std::optional<RunFence> fence(std::string_view run_id) override {
    auto statement = connection_.prepare("SELECT status, owner, attempt FROM runs WHERE id = ?");
    statement.bind(1, run_id);
    if (!statement.step()) return std::nullopt;
    return RunFence{parse_run_status(statement.text(0)).value_or(RunStatus::pending), statement.text(1),
                    static_cast<int>(statement.integer(2))};
  }

  bool insert_run(const RunRecord& run) override {
    auto statement = connection_.prepare("INSERT INTO runs (" WORKFLOW_RUN_COLUMNS
                                         ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                                         "ON CONFLICT (id) DO NOTHING");
    bind_run(statement, run);
    statement.run();
    return sqlite3_changes(connection_.handle()) > 0;
  }

  void update_run(const RunRecord& run) override {
    if (run.damage) {
      // Its status, owner and times may change (it is released, woken, cancelled, set aside);
      // its checksummed columns and checksum stay as they are, so the damage stays visible.
      auto narrow = connection_.prepare(
          "UPDATE runs SET status = ?2, error = ?3, started_at = ?4, completed_at = ?5, updated_at = ?6, "
          "owner = ?7, lease_expires_at = ?8, ready_at = ?9, recovery_count = ?10, attempt = ?11 WHERE id = ?1");
      narrow.bind(1, run.id).bind(2, to_string(run.status));
      if (run.error.is_null()) narrow.bind_null(3);
      else narrow.bind(3, run.error.dump());
      narrow.bind(4, optional_micros(run.started_at)).bind(5, optional_micros(run.completed_at));
      narrow.bind(6, to_micros(run.updated_at));
      if (run.owner.empty()) narrow.bind_null(7).bind_null(8);
      else narrow.bind(7, run.owner).bind(8, to_micros(run.lease_expires_at));
      narrow.bind(9, optional_micros(run.ready_at)).bind(10, static_cast<std::int64_t>(run.recovery_count));
      narrow.bind(11, static_cast<std::int64_t>(run.attempt));
      narrow.run();
      return;
    }
    auto statement = connection_.prepare(
        "UPDATE runs SET workflow_name = ?2, deployment_id = ?3, status = ?4, input = ?5, "
        "output = ?6, error = ?7, created_at = ?8, started_at = ?9, completed_at = ?10, "
        "updated_at = ?11, owner = ?12, lease_expires_at = ?13, ready_at = ?14, "
        "recovery_count = ?15, parent_run_id = ?16, attempt = ?17, checksum = ?18 WHERE id = ?1");
    bind_run(statement, run);
    statement.run();
  }

  std::int64_t append_event(const Event& event) override {
    auto statement = connection_.prepare(
        "INSERT INTO events (run_id, type, correlation_id, position, step_name, data, created_at, checksum) "
        "VALUES (?,?,?,?,?,?,?,?)");
    auto data = event.data.dump();
    statement.bind(1, event.run_id).bind(2, to_string(event.type)).bind(3, event.correlation_id);
    statement.bind(4, event.position).bind(5, event.step_name).bind(6, data);
    statement.bind(7, to_micros(event.created_at)).bind(8, event_checksum(event, data));
    statement.run();
    return sqlite3_last_insert_rowid(connection_.handle());
  }

  std::vector<Event> events(std::string_view run_id) override {
    auto statement = connection_.prepare(
        "SELECT id, run_id, type, correlation_id, position, step_name, data, created_at, checksum "
        "FROM events WHERE run_id = ? ORDER BY id");
    statement.bind(1, run_id);
    std::vector<Event> result;
    while (statement.step()) {
      result.push_back(decode_event({statement.integer(0), statement.text(1), statement.text(2), statement.text(3),
                                     statement.integer(4), statement.text(5), statement.text(6), statement.integer(7),
                                     statement.optional_integer(8)}));
    }
    return result;
  }

  std::vector<RunRecord> list_runs(const RunFilter& filter) override {
    auto statement = connection_.prepare(
        "SELECT " WORKFLOW_RUN_COLUMNS " FROM runs "
        "WHERE (?1 IS NULL OR status = ?1) AND (?2 = '' OR workflow_name = ?2) "
        "AND (?3 IS NULL OR created_at > ?3) "
        "AND (?4 = '' OR (created_at, id) < (SELECT created_at, id FROM runs WHERE id = ?4)) "
        "ORDER BY created_at DESC, id DESC LIMIT ?5");
    if (filter.status) statement.bind(1, to_string(*filter.status));
    else statement.bind_null(1);
    statement.bind(2, filter.workflow_name).bind(3, optional_micros(filter.created_after));
    statement.bind(4, filter.before_id).bind(5, static_cast<std::int64_t>(filter.limit));
    std::vector<RunRecord> result;
    while (statement.step()) result.push_back(read_run(statement));
    return result;
  }

  std::vector<RunRecord> claim_due_runs(const ClaimRequest& request) override {
    // Write transactions exclude each other on SQLite: what is selected here is still due when it
    // is updated below.
    auto statement = connection_.prepare(
        "SELECT " WORKFLOW_RUN_COLUMNS " FROM runs WHERE " WORKFLOW_ACTIVE_STATUSES
        " AND ready_at <= ?1 AND workflow_name IN (SELECT value FROM json_each(?2)) "
        "AND deployment_id = ?5 "
        "AND (owner IS NULL OR lease_expires_at < ?1 "
        "     OR owner IN (SELECT value FROM json_each(?3))) "
        "AND CASE WHEN ?6 = '' THEN NOT EXISTS (" WORKFLOW_HELD_BY_A_LIMITED_QUEUE ") "
        "    ELSE EXISTS (SELECT 1 FROM queue_entries q WHERE q.run_id = runs.id AND q.queue = ?6 "
        "                 AND q.dequeued_at IS NOT NULL AND q.done = 0) END "
        "ORDER BY ready_at LIMIT ?4");
    statement.bind(1, to_micros(request.now)).bind(2, json_array(request.workflows));
    statement.bind(3, json_array(request.dead_owners)).bind(4, static_cast<std::int64_t>(request.limit));
    statement.bind(5, request.deployment).bind(6, request.queue);
    std::vector<RunRecord> claimed;
    while (statement.step()) claimed.push_back(read_run(statement));
    for (auto& run : claimed) {
      if (!run.owner.empty() && run.owner != request.owner) {
        ++run.recovery_count;
        run.taken_over = true;
      }
      run.owner = request.owner;
      run.lease_expires_at = request.lease_until;
      auto update = connection_.prepare(
          "UPDATE runs SET owner = ?2, lease_expires_at = ?3, recovery_count = ?4 WHERE id = ?1");
      update.bind(1, run.id).bind(2, run.owner).bind(3, to_micros(run.lease_expires_at));
      update.bind(4, static_cast<std::int64_t>(run.recovery_count));
      update.run();
    }
    return claimed;
  }

  std::optional<TimePoint> next_due(const std::vector<std::string>& workflows,
                                    std::string_view deployment) override {
    auto statement = connection_.prepare(
        "SELECT min(CASE WHEN owner IS NULL THEN ready_at ELSE max(ready_at, lease_expires_at) END) "
        "FROM runs WHERE " WORKFLOW_ACTIVE_STATUSES
        " AND ready_at IS NOT NULL AND workflow_name IN (SELECT value FROM json_each(?1)) "
        "AND deployment_id = ?2");
    statement.bind(1, json_array(workflows)).bind(2, std::string(deployment));
    if (!statement.step()) return std::nullopt;
    return optional_time(statement, 0);
  }

  std::vector<std::string> lease_holders() override {
    auto statement =
        connection_.prepare("SELECT DISTINCT owner FROM runs WHERE owner IS NOT NULL");
    std::vector<std::string> result;
    while (statement.step()) result.push_back(statement.text(0));
    return result;
  }

  std::vector<std::string> runs_held_by(std::string_view owner) override {
    auto statement = connection_.prepare("SELECT id FROM runs WHERE owner = ?");
    statement.bind(1, owner);
    std::vector<std::string> result;
    while (statement.step()) result.push_back(statement.text(0));
    return result;
  }

  void extend_leases(std::string_view owner, TimePoint until) override {
    auto statement =
        connection_.prepare("UPDATE runs SET lease_expires_at = ?2 WHERE owner = ?1");
    statement.bind(1, owner).bind(2, to_micros(until));
    statement.run();
  }

  void release_runs(std::string_view owner) override {
    auto statement = connection_.prepare(
        "UPDATE runs SET owner = NULL, lease_expires_at = NULL WHERE owner = ?1");
    statement.bind(1, owner);
    statement.run();
  }

  bool append_stream_chunk(std::string_view run_id, std::string_view name_space, std::string_view writer_key,
                           std::string_view json_text, TimePoint at) override {
    auto state = stream_state(run_id, name_space);
    if (state.closed) return false;
    auto duplicate = connection_.prepare(
        "SELECT 1 FROM stream_chunks WHERE run_id = ? AND namespace = ? AND writer_key = ?");
    duplicate.bind(1, run_id).bind(2, name_space).bind(3, writer_key);
    if (duplicate.step()) return false;
    auto insert = connection_.prepare(
        "INSERT INTO stream_chunks (run_id, namespace, idx, writer_key, data, created_at, checksum) "
        "VALUES (?,?,?,?,?,?,?)");
    insert.bind(1, run_id).bind(2, name_space).bind(3, state.length).bind(4, writer_key);
    insert.bind(5, json_text).bind(6, to_micros(at));
    insert.bind(7, chunk_checksum(run_id, name_space, writer_key, json_text, to_micros(at)));
    insert.run();
    auto grow = connection_.prepare(
        "INSERT INTO streams (run_id, namespace, length) VALUES (?1, ?2, 1) "
        "ON CONFLICT (run_id, namespace) DO UPDATE SET length = length + 1");
    grow.bind(1, run_id).bind(2, name_space);
    grow.run();
    return true;
  }

  std::int64_t count_stream_chunks(std::string_view run_id, std::string_view name_space,
                                   std::string_view key_prefix) override {
    auto statement = connection_.prepare(
        "SELECT count(*) FROM stream_chunks WHERE run_id = ?1 AND namespace = ?2 "
        "AND substr(writer_key, 1, length(?3)) = ?3");
    statement.bind(1, run_id).bind(2, name_space).bind(3, key_prefix);
    statement.step();
    return statement.integer(0);
  }

  void close_stream(std::string_view run_id, std::string_view name_space) override {
    auto statement = connection_.prepare(
        "INSERT INTO streams (run_id, namespace, closed) VALUES (?1, ?2, 1) "
        "ON CONFLICT (run_id, namespace) DO UPDATE SET closed = 1");
    statement.bind(1, run_id).bind(2, name_space);
    statement.run();
  }

  void reopen_streams(std::string_view run_id) override {
    auto statement = connection_.prepare("UPDATE streams SET closed = 0 WHERE run_id = ?");
    statement.bind(1, run_id);
    statement.run();
  }

  StreamSlice read_stream(std::string_view run_id, std::string_view name_space, std::int64_t from,
                          std::size_t limit) override {
    StreamSlice slice;
    slice.state = stream_state(run_id, name_space);
    auto statement = connection_.prepare(
        "SELECT idx, data, created_at, writer_key, checksum FROM stream_chunks "
        "WHERE run_id = ? AND namespace = ? AND idx >= ? ORDER BY idx LIMIT ?");
    statement.bind(1, run_id).bind(2, name_space).bind(3, from).bind(4, static_cast<std::int64_t>(limit));
    while (statement.step()) {
      auto index = statement.integer(0);
      auto written_at = statement.integer(2);
      slice.chunks.push_back({index,
                              decode_chunk(run_id, name_space, index, statement.text(3), statement.text(1), written_at,
                                           statement.optional_integer(4)),
                              from_micros(written_at)});
    }
    return slice;
  }

  std::vector<StoredChunk> stream_chunks(std::string_view run_id, std::string_view name_space) override {
    auto statement = connection_.prepare(
        "SELECT idx, writer_key, data, created_at, checksum FROM stream_chunks WHERE run_id = ? AND namespace = ? "
        "ORDER BY idx");
    statement.bind(1, run_id).bind(2, name_space);
    std::vector<StoredChunk> result;
    while (statement.step()) {
      StoredChunk chunk{statement.integer(0), statement.text(1), statement.text(2), from_micros(statement.integer(3))};
      // Checked, so a copy does not give a damaged chunk a fresh checksum.
      decode_chunk(run_id, name_space, chunk.index, chunk.writer_key, chunk.json_text, statement.integer(3),
                   statement.optional_integer(4));
      result.push_back(std::move(chunk));
    }
    return result;
  }

  std::vector<StreamState> streams(std::string_view run_id) override {
    auto statement =
        connection_.prepare("SELECT namespace, length, closed FROM streams WHERE run_id = ? ORDER BY namespace");
    statement.bind(1, run_id);
    std::vector<StreamState> result;
    while (statement.step()) result.push_back({statement.text(0), statement.integer(1), statement.integer(2) != 0});
    return result;
  }

  void insert_webhook(const WebhookRecord& hook) override {
    auto statement = connection_.prepare(
        "INSERT INTO webhooks (token_hash, run_id, attempt, correlation_id, single_use, used, max_body_bytes, "
        "created_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (token_hash) DO NOTHING");
    statement.bind(1, hook.token_hash).bind(2, hook.run_id).bind(3, static_cast<std::int64_t>(hook.attempt));
    statement.bind(4, hook.correlation_id).bind(5, std::int64_t{hook.single_use}).bind(6, std::int64_t{hook.used});
    statement.bind(7, hook.max_body_bytes).bind(8, to_micros(hook.created_at));
    statement.run();
  }

  std::optional<WebhookRecord> find_webhook(std::string_view token_hash) override {
    auto statement = connection_.prepare(
        "SELECT token_hash, run_id, attempt, correlation_id, single_use, used, max_body_bytes, created_at "
        "FROM webhooks WHERE token_hash = ?");
    statement.bind(1, token_hash);
    if (!statement.step()) return std::nullopt;
    return WebhookRecord{statement.text(0),          statement.text(1),
                         static_cast<int>(statement.integer(2)), statement.text(3),
                         statement.integer(4) != 0,  statement.integer(5) != 0,
                         statement.integer(6),       from_micros(statement.integer(7))};
  }

  void mark_webhook_used(std::string_view token_hash) override {
    auto statement = connection_.prepare("UPDATE webhooks SET used = 1 WHERE token_hash = ?");
    statement.bind(1, token_hash);
    statement.run();
  }

  void declare_queue(const QueueRecord& queue) override { sqlite_queues::declare(connection_, queue); }
  std::vector<QueueRecord> queues() override { return sqlite_queues::all(connection_); }
  std::optional<QueueRecord> lock_queue(std::string_view name) override { return sqlite_queues::find(connection_, name); }
  bool insert_queue_entry(const QueueEntry& entry) override { return sqlite_queues::insert_entry(connection_, entry); }
  std::optional<std::string> unfinished_duplicate(std::string_view queue, std::string_view deduplication_id) override {
    return sqlite_queues::unfinished_duplicate(connection_, queue, deduplication_id);
  }
  std::optional<QueueEntry> queue_entry(std::string_view run_id) override {
    return sqlite_queues::entry(connection_, run_id);
  }
  std::vector<std::string> queues_with_waiting(const std::vector<std::string>& workflows,
                                               std::string_view deployment) override {
    return sqlite_queues::with_waiting(connection_, workflows, deployment);
  }
  QueueLoad queue_load(std::string_view queue, std::string_view owner, TimePoint since) override {
    return sqlite_queues::load(connection_, queue, owner, since);
  }
  std::int64_t count_waiting(std::string_view queue) override { return sqlite_queues::count_waiting(connection_, queue); }
  std::vector<QueueEntry> waiting_entries(std::string_view queue, const std::vector<std::string>& workflows,
                                          std::string_view deployment, std::size_t limit) override {
    return sqlite_queues::waiting(connection_, queue, workflows, deployment, limit);
  }
  RunRecord dequeue_run(std::string_view run_id, std::string_view owner, TimePoint lease_until,
                        TimePoint at) override {
    sqlite_queues::dequeue(connection_, run_id, owner, lease_until, at);
    return find_run(run_id).value();
  }

  std::vector<RunTally> tally_runs(TimePoint now) override {
    auto statement = connection_.prepare(
        "SELECT workflow_name, status, count(*), "
        "min(CASE WHEN status = 'pending' AND ready_at <= ?1 THEN ready_at END) "
        "FROM runs GROUP BY workflow_name, status ORDER BY workflow_name, status");
    statement.bind(1, to_micros(now));
    std::vector<RunTally> tallies;
    while (statement.step()) {
      auto status = parse_run_status(statement.text(1));
      if (!status) continue;  // a damaged status is not counted as any
      tallies.push_back({statement.text(0), *status, statement.integer(2), optional_time(statement, 3)});
    }
    return tallies;
  }

  std::vector<std::string> attached_unfinished_children(std::string_view parent_run_id) override {
    // `parent_run_id <> ''` as written lets SQLite use the partial index runs_by_parent.
    auto statement = connection_.prepare(
        "SELECT id FROM runs WHERE parent_run_id = ? AND parent_run_id <> '' "
        "AND status NOT IN ('completed', 'failed', 'cancelled') "
        "AND NOT EXISTS (SELECT 1 FROM detached_runs WHERE run_id = runs.id)");
    statement.bind(1, parent_run_id);
    std::vector<std::string> result;
    while (statement.step()) result.push_back(statement.text(0));
    return result;
  }

  void mark_detached(std::string_view run_id) override {
    auto statement = connection_.prepare("INSERT INTO detached_runs (run_id) VALUES (?) ON CONFLICT DO NOTHING");
    statement.bind(1, run_id);
    statement.run();
  }

  std::vector<std::string> prune_roots(const PruneSelection& selection, std::size_t limit) override {
    return sqlite_retention::roots(connection_, selection, limit);
  }
  std::vector<PrunableChild> prunable_children(const std::vector<std::string>& parent_run_ids) override {
    return sqlite_retention::children(connection_, parent_run_ids);
  }
  PruneCounts delete_runs(const std::vector<std::string>& run_ids) override {
    return sqlite_retention::remove(connection_, run_ids);
  }
  PruneCounts count_prunable(const PruneSelection& selection) override {
    return sqlite_retention::count(connection_, selection);
  }
  void set_kept(std::string_view run_id, bool keep, TimePoint at) override {
    sqlite_retention::set_kept(connection_, run_id, keep, at);
  }
  bool kept(std::string_view run_id) override { return sqlite_retention::kept(connection_, run_id); }
  JournalSize journal_size() override { return sqlite_retention::size(connection_); }

  void register_workflow(const WorkflowRegistration& registration) override {
    auto statement = connection_.prepare(
        "INSERT INTO workflows (id, deployment_id, registered_at) VALUES (?,?,?) "
        "ON CONFLICT (id, deployment_id) DO UPDATE SET registered_at = excluded.registered_at");
    statement.bind(1, registration.id).bind(2, registration.deployment_id);
    statement.bind(3, to_micros(registration.registered_at));
    statement.run();
  }

  std::vector<WorkflowRegistration> workflows() override {
    auto statement = connection_.prepare(
        "SELECT id, deployment_id, registered_at FROM workflows ORDER BY id, registered_at");
    std::vector<WorkflowRegistration> result;
    while (statement.step())
      result.push_back({statement.text(0), statement.text(1), from_micros(statement.integer(2))});
    return result;
  }

  std::optional<ScheduleRecord> find_schedule(std::string_view name) override {
    return sqlite_schedules::find(connection_, name);
  }
  void put_schedule(const ScheduleRecord& schedule) override { sqlite_schedules::put(connection_, schedule); }
  bool delete_schedule(std::string_view name) override { return sqlite_schedules::remove(connection_, name); }
  std::vector<ScheduleRecord> list_schedules() override { return sqlite_schedules::list(connection_); }
  std::vector<ScheduleRecord> claim_due_schedules(TimePoint now, std::size_t limit) override {
    return sqlite_schedules::due(connection_, now, limit);
  }
  std::optional<TimePoint> next_schedule_work(TimePoint now) override {
    return sqlite_schedules::next_work(connection_, now);
  }

  void commit() override {
    connection_.exec("COMMIT");
    committed_ = true;
  }

 private:
  StreamState stream_state(std::string_view run_id, std::string_view name_space) {
    auto statement = connection_.prepare("SELECT length, closed FROM streams WHERE run_id = ? AND namespace = ?");
    statement.bind(1, run_id).bind(2, name_space);
    StreamState state{std::string(name_space)};
    if (statement.step()) {
      state.length = statement.integer(0);
      state.closed = statement.integer(1) != 0;
    }
    return state;
  }

  SqliteConnection& connection_;
  std::function<void()> done_;
  bool committed_ = false;
};

}  // namespace

SqliteStore::SqliteStore(std::string path, const StoreOptions& options, bool reserve_wal)
    : path_(std::move(path)),
      durable_commits_(options.durable_commits),
      read_only_(options.read_only),
      busy_timeout_(options.busy_timeout) {
  auto parent = std::filesystem::path(path_).parent_path();
  if (!parent.empty() && !std::filesystem::is_directory(parent))
    throw StorageError("cannot open workflow journal '" + path_ + "': directory '" +
                       parent.string() + "' does not exist");
  if (read_only_) {
    std::error_code error;
    if (!std::filesystem::exists(path_, error))
      throw StorageError("no workflow journal at '" + path_ +
                         "': commands that only read do not create one (check --database or WORKFLOW_DATABASE)");
  }
  writer_ = open_connection();
  // Nothing is written before the file has proven to be a journal we understand.
  int version = 0;
  try {
    version = check_sqlite_journal(*writer_);
  } catch (const JournalBusyError&) {
    throw;
  } catch (const StorageError&) {
    // A WAL journal opened read-only needs its shared-memory file, which only the journal's owner
    // may be able to create; it exists whenever a writer has the journal open. Without one and
    // with an empty log, no process writes and the file alone is the journal: it can be read as it
    // stands. A log with frames needs a writer to recover it first.
    std::error_code error;
    auto log_size = std::filesystem::file_size(path_ + "-wal", error);
    if (!read_only_ || (!error && log_size > 0)) throw;
    auto first_error = std::current_exception();
    read_as_it_stands_ = true;
    try {
      writer_ = open_connection();
      version = check_sqlite_journal(*writer_);
    } catch (const StorageError&) {
      std::rethrow_exception(first_error);
    }
  }
  if (read_only_ && version < latest_sqlite_schema_version()) {
    // A journal another process is creating this moment, or one of an older build: reading it
    // needs this build's tables, which only a writer can add.
    read_only_ = false;
    read_as_it_stands_ = false;
    writer_ = open_connection();
    version = check_sqlite_journal(*writer_);
  }
  if (!read_only_) {
    switch_to_wal();
    migrate_sqlite_journal(*writer_);
    if (reserve_wal && durable_commits_) reserve_wal_space(kWalReserveBytes);
  }
  last_data_version_ = writer_->query_integer("PRAGMA data_version");
  writer_syncs_ = durable_commits_;
  // A reader holds no lock that keeps SQLite from removing the log when the last writer closes:
  // only a process that writes watches the files.
  if (!read_only_) files_ = std::make_unique<JournalFileWatch>(path_);
}

void SqliteStore::check_files() {
  if (!files_) return;
  auto lost = files_->check();
  if (!lost) return;
  if (!rescue_tried_) {
    rescue_tried_ = true;
    lost_message_ = lost->why;
    if (lost->log_only) {
      // This process still reads the removed log through its open descriptor: copying its commits
      // into the journal file now is their one chance to survive.
      bool rescued =
          sqlite3_exec(writer_->handle(), "PRAGMA wal_checkpoint(FULL)", nullptr, nullptr, nullptr) == SQLITE_OK;
      lost_message_ += rescued ? "; the commits it held were copied into the journal file"
                               : "; the commits it held could not be copied into the journal file and are lost";
    }
  }
  throw JournalLostError("workflow journal '" + path_ + "': " + lost_message_ +
                         "; this process stops writing to it (restore the files, then start it again)");
}

std::optional<std::string> SqliteStore::lost() {
  std::lock_guard lock(writer_mutex_);
  try {
    check_files();
  } catch (const JournalLostError& error) {
    return error.what();
  }
  return std::nullopt;
}

// A new file starts in rollback-journal mode and the first opener switches it to WAL, which needs
// the file to itself. SQLite answers "busy" at once, without waiting through the busy handler,
// while another opener of the fresh file holds a read lock, and unchanged when it cannot switch;
// so the switch is retried here for up to the busy timeout.
void SqliteStore::switch_to_wal() {
  auto deadline = std::chrono::steady_clock::now() + busy_timeout_;
  for (auto pause = std::chrono::milliseconds(1);; pause = std::min(pause * 2, std::chrono::milliseconds(50))) {
    try {
      auto mode = writer_->prepare("PRAGMA journal_mode = WAL");
      if (mode.step() && mode.text(0) == "wal") return;
      if (std::chrono::steady_clock::now() >= deadline)
        throw StorageError("workflow journal '" + path_ + "': cannot switch to WAL mode");
    } catch (const JournalBusyError&) {
      if (std::chrono::steady_clock::now() >= deadline) throw;
    }
    std::this_thread::sleep_for(pause);
  }
}

// Appending to a file makes each fdatasync also flush the file's new size through the file
// system's journal: on these disks a commit that grows the WAL costs ~1.5-2x one that overwrites
// it. SQLite reuses its WAL from the start after a checkpoint, so a long-running journal is in
// the cheap state anyway; a freshly opened one (SQLite deletes the WAL when the last connection
// closes) is not, for its first thousands of pages. Like PostgreSQL's zero-filled WAL segments,
// writing zeros past the WAL's end up front puts it in the cheap state at once. It is safe:
// SQLite reads frames only up to the last valid one (checksums and salts), so zeros past the end
// are ignored exactly like the stale frames a WAL holds after every restart. The zeros are
// written under the write lock, so no other process appends frames meanwhile; they are synced
// after it is released: a commit that overwrites them is safe either way, and on a loaded disk
// that sync can take seconds, which other processes would otherwise spend waiting for the lock.
void SqliteStore::reserve_wal_space(std::int64_t bytes) {
  int fd = -1;
  bool extended = false;
  try {
    writer_->exec("BEGIN IMMEDIATE");
    fd = ::open((path_ + "-wal").c_str(), O_WRONLY | O_CLOEXEC);
    struct stat info {};
    if (fd >= 0 && fstat(fd, &info) == 0 && info.st_size < bytes) {
      std::vector<char> zeros(256 * 1024, 0);
      for (off_t offset = info.st_size; offset < bytes;) {
        auto written = pwrite(fd, zeros.data(), zeros.size(), offset);
        if (written <= 0) break;
        offset += written;
        extended = true;
      }
    }
    writer_->exec("COMMIT");
  } catch (...) {
    sqlite3_exec(writer_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    if (fd >= 0) ::close(fd);
    throw;
  }
  if (extended) fdatasync(fd);  // a WAL already large enough costs no sync
  if (fd >= 0) ::close(fd);
}

SqliteStore::~SqliteStore() = default;

std::unique_ptr<SqliteConnection> SqliteStore::open_connection() const {
  auto connection = std::make_unique<SqliteConnection>(
      path_, read_only_ ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
      read_as_it_stands_ ? immutable_uri(path_) : std::string());
  sqlite3_busy_timeout(connection->handle(), static_cast<int>(busy_timeout_.count()));
  if (!read_only_) connection->exec(durable_commits_ ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
  return connection;
}

std::unique_ptr<SqliteConnection> SqliteStore::take_reader() {
  {
    std::lock_guard lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      auto connection = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return connection;
    }
  }
  return open_connection();
}

void SqliteStore::return_reader(std::unique_ptr<SqliteConnection> connection) {
  std::lock_guard lock(readers_mutex_);
  if (idle_readers_.size() < 16) idle_readers_.push_back(std::move(connection));
}

std::unique_ptr<StoreTransaction> SqliteStore::read() {
  auto connection = take_reader();
  auto& handle = *connection;
  auto shared = std::make_shared<std::unique_ptr<SqliteConnection>>(std::move(connection));
  return std::make_unique<SqliteTransaction>(handle, "BEGIN DEFERRED",
                                             [this, shared] { return_reader(std::move(*shared)); });
}

std::unique_ptr<StoreTransaction> SqliteStore::write(bool durable) {
  std::unique_lock lock(writer_mutex_);
  check_files();
  // In WAL mode a commit without sync still appends its frames in order, so the next synced
  // commit makes it durable too. The level can only change between transactions.
  bool syncs = durable && durable_commits_;
  if (read_only_) throw StorageError("workflow journal '" + path_ + "' is open read-only");
  if (syncs != writer_syncs_) {
    writer_->exec(syncs ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    writer_syncs_ = syncs;
  }
  auto shared_lock = std::make_shared<std::unique_lock<std::mutex>>(std::move(lock));
  return std::make_unique<SqliteTransaction>(*writer_, "BEGIN IMMEDIATE",
                                             [shared_lock] { shared_lock->unlock(); });
}

// Every waiter polls: PRAGMA data_version costs microseconds, and it changes only with commits of
// other connections, which is what the contract asks for.
std::uint64_t SqliteStore::wait_for_change(std::uint64_t seen, TimePoint deadline) {
  constexpr auto kPollInterval = std::chrono::milliseconds(20);
  std::unique_lock lock(change_mutex_);
  for (;;) {
    if (change_count_ > seen || interrupted_) return change_count_;
    auto now = wall_now();
    if (now >= deadline) return change_count_;
    lock.unlock();
    std::optional<std::int64_t> version;
    {
      std::lock_guard writer(writer_mutex_);
      try {
        check_files();  // polled here too, so the commits of a removed log are rescued at once
        version = writer_->query_integer("PRAGMA data_version");
      } catch (const JournalLostError&) {
        // Nothing changes in a lost journal; the engine learns why at its next write.
      }
    }
    lock.lock();
    if (version && *version != last_data_version_) {
      last_data_version_ = *version;
      ++change_count_;
      change_happened_.notify_all();
      continue;
    }
    change_happened_.wait_until(lock, system_time(std::min(now + kPollInterval, deadline)),
                                [&] { return change_count_ > seen || interrupted_; });
  }
}

void SqliteStore::interrupt_waits() {
  {
    std::lock_guard lock(change_mutex_);
    interrupted_ = true;
  }
  change_happened_.notify_all();
}

}  // namespace workflow::detail
