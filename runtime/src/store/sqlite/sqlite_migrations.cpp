// Numbered schema migrations of the SQLite journal. Append new ones; never edit a released one.
#include "store/sqlite/sqlite_migrations.hpp"

#include <workflow/errors.hpp>

#include <string>
#include <vector>

namespace workflow::detail {
namespace {

const std::vector<const char*>& migrations() {
  static const std::vector<const char*> all = {
      // 1: runs, their events, and the workflows each deployment registered.
      R"sql(
        CREATE TABLE runs (
          id               TEXT PRIMARY KEY,
          workflow_name    TEXT NOT NULL,
          deployment_id    TEXT NOT NULL DEFAULT '',
          status           TEXT NOT NULL,
          input            TEXT NOT NULL,
          output           TEXT,
          error            TEXT,
          created_at       INTEGER NOT NULL,
          started_at       INTEGER,
          completed_at     INTEGER,
          updated_at       INTEGER NOT NULL,
          owner            TEXT,
          lease_expires_at INTEGER,
          ready_at         INTEGER,
          recovery_count   INTEGER NOT NULL DEFAULT 0,
          parent_run_id    TEXT
        );
        CREATE INDEX runs_due ON runs(ready_at) WHERE status IN ('pending', 'running', 'waiting');
        CREATE INDEX runs_owner ON runs(owner) WHERE owner IS NOT NULL;
        CREATE INDEX runs_created ON runs(created_at);
        CREATE TABLE events (
          id             INTEGER PRIMARY KEY,
          run_id         TEXT NOT NULL,
          type           TEXT NOT NULL,
          correlation_id TEXT NOT NULL DEFAULT '',
          position       INTEGER NOT NULL DEFAULT -1,
          step_name      TEXT NOT NULL DEFAULT '',
          data           TEXT NOT NULL DEFAULT 'null',
          created_at     INTEGER NOT NULL
        );
        CREATE INDEX events_by_run ON events(run_id, id);
        CREATE UNIQUE INDEX events_one_outcome_per_call
          ON events(run_id, correlation_id) WHERE type IN ('step_completed', 'step_failed');
        CREATE TABLE workflows (
          id            TEXT NOT NULL,
          deployment_id TEXT NOT NULL,
          registered_at INTEGER NOT NULL,
          PRIMARY KEY (id, deployment_id)
        );
      )sql",
      // 2: streams. A chunk's writer key (the call that wrote it and its number there) makes a
      // replay or a retry writing it again a no-op.
      R"sql(
        CREATE TABLE streams (
          run_id    TEXT NOT NULL,
          namespace TEXT NOT NULL,
          length    INTEGER NOT NULL DEFAULT 0,
          closed    INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (run_id, namespace)
        );
        CREATE TABLE stream_chunks (
          run_id     TEXT NOT NULL,
          namespace  TEXT NOT NULL,
          idx        INTEGER NOT NULL,
          writer_key TEXT NOT NULL,
          data       TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          PRIMARY KEY (run_id, namespace, idx)
        );
        CREATE UNIQUE INDEX stream_chunks_once ON stream_chunks(run_id, namespace, writer_key);
      )sql",
      // 3: the run's attempt (the restart fence), and the compatibility marker.
      R"sql(
        ALTER TABLE runs ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
        -- The oldest schema version whose builds can still use this file (one row): a later
        -- migration that only adds leaves it alone, so older workers keep running through a
        -- rolling deploy; one that changes what older builds rely on raises it to its own version.
        CREATE TABLE schema_compatibility (oldest_usable_version INTEGER NOT NULL);
        INSERT INTO schema_compatibility VALUES (3);
      )sql",
      // 4: a checksum of each record's contents (docs/journal.md, "Checksums"). A build without
      // them would update a run's output and leave its checksum stale: they may not use the file.
      R"sql(
        ALTER TABLE runs ADD COLUMN checksum INTEGER;
        ALTER TABLE events ADD COLUMN checksum INTEGER;
        ALTER TABLE stream_chunks ADD COLUMN checksum INTEGER;
        UPDATE schema_compatibility SET oldest_usable_version = 4;
      )sql",
      // 5 (schedules): durable schedules (docs/schedules.md). Only adds a table older builds
      // never read, so it leaves schema_compatibility alone: they go on running runs.
      R"sql(
        CREATE TABLE schedules (
          name             TEXT PRIMARY KEY,
          workflow_id      TEXT NOT NULL,
          arguments        TEXT NOT NULL,
          spec             TEXT NOT NULL,
          time_zone        TEXT NOT NULL DEFAULT '',
          overlap          TEXT NOT NULL,
          catch_up         TEXT NOT NULL,
          catch_up_window  INTEGER NOT NULL,
          grace            INTEGER NOT NULL,
          deployment_id    TEXT NOT NULL DEFAULT '',
          paused           INTEGER NOT NULL DEFAULT 0,
          next_fire_at     INTEGER,
          last_tick_at     INTEGER,
          last_run_id      TEXT NOT NULL DEFAULT '',
          buffered_tick_at INTEGER,
          skipped_count    INTEGER NOT NULL DEFAULT 0,
          created_at       INTEGER NOT NULL,
          updated_at       INTEGER NOT NULL,
          checksum         INTEGER
        );
        CREATE INDEX schedules_due ON schedules(next_fire_at) WHERE paused = 0;
      )sql",
      // 6 (webhooks): one row per webhook a run created, found by the SHA-256 of its token (the
      // token itself is stored nowhere). Only adds: older builds ignore the table, and their
      // workers never execute the runs that create webhooks (those are pinned to newer code).
      R"sql(
        CREATE TABLE webhooks (
          token_hash     TEXT PRIMARY KEY,
          run_id         TEXT NOT NULL,
          attempt        INTEGER NOT NULL,
          correlation_id TEXT NOT NULL,
          single_use     INTEGER NOT NULL,
          used           INTEGER NOT NULL DEFAULT 0,
          max_body_bytes INTEGER NOT NULL,
          created_at     INTEGER NOT NULL
        );
        CREATE INDEX webhooks_by_run ON webhooks(run_id);
      )sql",
      // 7 (queues, issue 15; docs/queues.md): declared queues and each queued run's place. Only
      // adds, so schema_compatibility stays: a waiting queued run has no ready_at, so older builds
      // never claim it; the trigger frees a run's slot when it ends, whichever build ends it.
      R"sql(
        CREATE TABLE queues (
          name                  TEXT PRIMARY KEY,
          concurrency           INTEGER NOT NULL DEFAULT 0,
          worker_concurrency    INTEGER NOT NULL DEFAULT 0,
          rate_limit            INTEGER NOT NULL DEFAULT 0,
          rate_period           INTEGER NOT NULL DEFAULT 0,
          partition_concurrency INTEGER NOT NULL DEFAULT 0,
          declared_at           INTEGER NOT NULL
        );
        CREATE TABLE queue_entries (
          run_id           TEXT PRIMARY KEY,
          queue            TEXT NOT NULL,
          priority         INTEGER NOT NULL DEFAULT 0,
          partition_key    TEXT NOT NULL DEFAULT '',
          deduplication_id TEXT NOT NULL DEFAULT '',
          enqueued_at      INTEGER NOT NULL,
          dequeued_at      INTEGER,
          done             INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX queue_entries_waiting ON queue_entries(queue, priority, enqueued_at, run_id)
          WHERE dequeued_at IS NULL AND done = 0;
        CREATE INDEX queue_entries_active ON queue_entries(queue, partition_key)
          WHERE dequeued_at IS NOT NULL AND done = 0;
        CREATE INDEX queue_entries_dequeues ON queue_entries(queue, dequeued_at) WHERE dequeued_at IS NOT NULL;
        CREATE UNIQUE INDEX queue_entries_dedup ON queue_entries(queue, deduplication_id)
          WHERE deduplication_id <> '' AND done = 0;
        CREATE TRIGGER queue_entries_done AFTER UPDATE OF status ON runs
          WHEN NEW.status IN ('completed', 'failed', 'cancelled')
          BEGIN UPDATE queue_entries SET done = 1 WHERE run_id = NEW.id AND done = 0; END;
      )sql",
      // 8 (issue 16): a cancellation reaches the run's unfinished children, except those started
      // detached. Only adds: older builds cancel the run alone, as they always did.
      R"sql(
        CREATE INDEX runs_by_parent ON runs(parent_run_id) WHERE parent_run_id <> '';
        CREATE TABLE detached_runs (run_id TEXT PRIMARY KEY);
      )sql",
      // 9 (issue 16, retention; docs/retention.md): finished runs found by when they ended, and
      // the runs an operator marked to keep. Only adds: older builds never delete runs.
      R"sql(
        CREATE INDEX runs_finished ON runs(completed_at) WHERE status IN ('completed', 'failed', 'cancelled');
        CREATE TABLE kept_runs (run_id TEXT PRIMARY KEY, kept_at INTEGER NOT NULL);
      )sql",
  };
  return all;
}

// A newer schema is usable when its migrations since ours only added things older builds ignore.
bool usable_by_this_build(SqliteConnection& connection) {
  if (connection.query_integer("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND "
                               "name = 'schema_compatibility'") == 0)
    return false;
  auto statement = connection.prepare("SELECT max(oldest_usable_version) FROM schema_compatibility");
  return statement.step() && !statement.is_null(0) && statement.integer(0) <= latest_sqlite_schema_version();
}

// The header fields and the schema are read in one snapshot: read one by one, another process
// creating the journal meanwhile could show its tables but not yet its application ID.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(SqliteConnection& connection)
      : connection_(connection), owned_(sqlite3_get_autocommit(connection.handle()) != 0) {
    if (owned_) connection_.exec("BEGIN");
  }
  ~ReadSnapshot() {
    if (owned_) sqlite3_exec(connection_.handle(), "COMMIT", nullptr, nullptr, nullptr);
  }
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  SqliteConnection& connection_;
  bool owned_;
};

}  // namespace

int latest_sqlite_schema_version() { return static_cast<int>(migrations().size()); }

int check_sqlite_journal(SqliteConnection& connection) {
  ReadSnapshot snapshot(connection);
  auto application_id = connection.query_integer("PRAGMA application_id");
  auto version = static_cast<int>(connection.query_integer("PRAGMA user_version"));
  auto objects = connection.query_integer("SELECT count(*) FROM sqlite_schema");
  if (application_id != kSqliteApplicationId && (application_id != 0 || objects != 0))
    throw StorageError("'" + connection.path() +
                       "' is a SQLite database but not a workflow-cpp journal; "
                       "point WORKFLOW_DATABASE at a new file or an existing journal");
  if (version > latest_sqlite_schema_version() && !usable_by_this_build(connection))
    throw StorageError("workflow journal '" + connection.path() + "' has schema version " +
                       std::to_string(version) + ", newer than this build of workflow-cpp knows (" +
                       std::to_string(latest_sqlite_schema_version()) +
                       ") and not usable by it; it was written by a newer release: upgrade, or use another file");
  return version;
}

void migrate_sqlite_journal(SqliteConnection& connection) {
  // An up-to-date journal is not locked at all: every process opening it (each `wf` command,
  // each worker) would otherwise queue for the write lock behind whatever commit is in progress.
  if (check_sqlite_journal(connection) >= latest_sqlite_schema_version()) return;
  connection.exec("BEGIN IMMEDIATE");
  try {
    // Checked again under the write lock: another process may have migrated meanwhile.
    int version = check_sqlite_journal(connection);
    // A newer, still usable schema is left as it is.
    for (int next = version; next < latest_sqlite_schema_version(); ++next)
      connection.exec(migrations()[static_cast<std::size_t>(next)]);
    if (version < latest_sqlite_schema_version()) {
      connection.exec(("PRAGMA user_version = " + std::to_string(latest_sqlite_schema_version()))
                          .c_str());
      connection.exec(("PRAGMA application_id = " + std::to_string(kSqliteApplicationId)).c_str());
    }
    connection.exec("COMMIT");
  } catch (...) {
    sqlite3_exec(connection.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace workflow::detail
