// Numbered schema migrations of the PostgreSQL journal. Append new ones; never edit a released one.
//
// Tables live in the store's schema (the session's search path). Timestamps are BIGINT
// microseconds since the Unix epoch and JSON is TEXT, exactly as on SQLite, so that values
// round-trip byte for byte and a journal can be copied between backends. Keys and names compare
// byte-wise (COLLATE "C"), as on SQLite, whatever the database's collation.
#include "store/postgres/pg_migrations.hpp"

#include <workflow/errors.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace workflow::detail {
namespace {

struct Migration {
  const char* sql;
  // The oldest schema version whose builds can still use a journal with this migration applied:
  // a migration that only adds leaves it alone, so older workers keep running through a rolling
  // deploy; one that changes what older builds rely on raises it to its own version.
  int oldest_usable_version;
};

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all = {
      // 1: runs, their events, and the workflows each deployment registered.
      {R"sql(
        CREATE TABLE runs (
          id               TEXT COLLATE "C" PRIMARY KEY,
          workflow_name    TEXT COLLATE "C" NOT NULL,
          deployment_id    TEXT COLLATE "C" NOT NULL DEFAULT '',
          status           TEXT COLLATE "C" NOT NULL,
          input            TEXT NOT NULL,
          output           TEXT,
          error            TEXT,
          created_at       BIGINT NOT NULL,
          started_at       BIGINT,
          completed_at     BIGINT,
          updated_at       BIGINT NOT NULL,
          owner            TEXT COLLATE "C",
          lease_expires_at BIGINT,
          ready_at         BIGINT,
          recovery_count   INTEGER NOT NULL DEFAULT 0,
          parent_run_id    TEXT COLLATE "C"
        );
        CREATE INDEX runs_due ON runs(ready_at) WHERE status IN ('pending', 'running', 'waiting');
        CREATE INDEX runs_owner ON runs(owner) WHERE owner IS NOT NULL;
        CREATE INDEX runs_created ON runs(created_at);
        CREATE TABLE events (
          id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          run_id         TEXT COLLATE "C" NOT NULL,
          type           TEXT COLLATE "C" NOT NULL,
          correlation_id TEXT COLLATE "C" NOT NULL DEFAULT '',
          position       BIGINT NOT NULL DEFAULT -1,
          step_name      TEXT COLLATE "C" NOT NULL DEFAULT '',
          data           TEXT NOT NULL DEFAULT 'null',
          created_at     BIGINT NOT NULL
        );
        CREATE INDEX events_by_run ON events(run_id, id);
        CREATE UNIQUE INDEX events_one_outcome_per_call
          ON events(run_id, correlation_id) WHERE type IN ('step_completed', 'step_failed');
        CREATE TABLE workflows (
          id            TEXT COLLATE "C" NOT NULL,
          deployment_id TEXT COLLATE "C" NOT NULL,
          registered_at BIGINT NOT NULL,
          PRIMARY KEY (id, deployment_id)
        );
      )sql",
       0},
      // 2: streams. A chunk's writer key (the call that wrote it and its number there) makes a
      // replay or a retry writing it again a no-op.
      {R"sql(
        CREATE TABLE streams (
          run_id    TEXT COLLATE "C" NOT NULL,
          namespace TEXT COLLATE "C" NOT NULL,
          length    BIGINT NOT NULL DEFAULT 0,
          closed    BOOLEAN NOT NULL DEFAULT false,
          PRIMARY KEY (run_id, namespace)
        );
        CREATE TABLE stream_chunks (
          run_id     TEXT COLLATE "C" NOT NULL,
          namespace  TEXT COLLATE "C" NOT NULL,
          idx        BIGINT NOT NULL,
          writer_key TEXT COLLATE "C" NOT NULL,
          data       TEXT NOT NULL,
          created_at BIGINT NOT NULL,
          PRIMARY KEY (run_id, namespace, idx)
        );
        CREATE UNIQUE INDEX stream_chunks_once ON stream_chunks(run_id, namespace, writer_key);
      )sql",
       0},
      // 3: the run's attempt (the restart fence). Builds before it do not fence restarts.
      {R"sql(
        ALTER TABLE runs ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
      )sql",
       3},
      // 4: a checksum of each record's contents (docs/journal.md, "Checksums"). A build without
      // them would update a run's output and leave its checksum stale: they may not use it.
      {R"sql(
        ALTER TABLE runs ADD COLUMN checksum BIGINT;
        ALTER TABLE events ADD COLUMN checksum BIGINT;
        ALTER TABLE stream_chunks ADD COLUMN checksum BIGINT;
      )sql",
       4},
      // 5 (schedules): durable schedules (docs/schedules.md). Only adds a table older builds
      // never read: the oldest usable version stays 4.
      {R"sql(
        CREATE TABLE schedules (
          name             TEXT COLLATE "C" PRIMARY KEY,
          workflow_id      TEXT COLLATE "C" NOT NULL,
          arguments        TEXT NOT NULL,
          spec             TEXT NOT NULL,
          time_zone        TEXT NOT NULL DEFAULT '',
          overlap          TEXT NOT NULL,
          catch_up         TEXT NOT NULL,
          catch_up_window  BIGINT NOT NULL,
          grace            BIGINT NOT NULL,
          deployment_id    TEXT NOT NULL DEFAULT '',
          paused           BOOLEAN NOT NULL DEFAULT false,
          next_fire_at     BIGINT,
          last_tick_at     BIGINT,
          last_run_id      TEXT COLLATE "C" NOT NULL DEFAULT '',
          buffered_tick_at BIGINT,
          skipped_count    BIGINT NOT NULL DEFAULT 0,
          created_at       BIGINT NOT NULL,
          updated_at       BIGINT NOT NULL,
          checksum         BIGINT
        );
        CREATE INDEX schedules_due ON schedules(next_fire_at) WHERE NOT paused;
      )sql",
       4},
      // 6 (webhooks): one row per webhook a run created, found by the SHA-256 of its token (the
      // token itself is stored nowhere). Only adds: older builds ignore the table, and their
      // workers never execute the runs that create webhooks (those are pinned to newer code).
      {R"sql(
        CREATE TABLE webhooks (
          token_hash     TEXT COLLATE "C" PRIMARY KEY,
          run_id         TEXT COLLATE "C" NOT NULL,
          attempt        INTEGER NOT NULL,
          correlation_id TEXT COLLATE "C" NOT NULL,
          single_use     BOOLEAN NOT NULL,
          used           BOOLEAN NOT NULL DEFAULT false,
          max_body_bytes BIGINT NOT NULL,
          created_at     BIGINT NOT NULL
        );
        CREATE INDEX webhooks_by_run ON webhooks(run_id);
      )sql",
       0},
      // 7 (queues, issue 15; docs/queues.md): declared queues and each queued run's place. Only
      // adds: a waiting queued run has no ready_at, so older builds never claim it; the trigger
      // frees a run's slot when it ends, whichever build ends it.
      {R"sql(
        CREATE TABLE queues (
          name                  TEXT COLLATE "C" PRIMARY KEY,
          concurrency           BIGINT NOT NULL DEFAULT 0,
          worker_concurrency    BIGINT NOT NULL DEFAULT 0,
          rate_limit            BIGINT NOT NULL DEFAULT 0,
          rate_period           BIGINT NOT NULL DEFAULT 0,
          partition_concurrency BIGINT NOT NULL DEFAULT 0,
          declared_at           BIGINT NOT NULL
        );
        CREATE TABLE queue_entries (
          run_id           TEXT COLLATE "C" PRIMARY KEY,
          queue            TEXT COLLATE "C" NOT NULL,
          priority         BIGINT NOT NULL DEFAULT 0,
          partition_key    TEXT COLLATE "C" NOT NULL DEFAULT '',
          deduplication_id TEXT COLLATE "C" NOT NULL DEFAULT '',
          enqueued_at      BIGINT NOT NULL,
          dequeued_at      BIGINT,
          done             BOOLEAN NOT NULL DEFAULT false
        );
        CREATE INDEX queue_entries_waiting ON queue_entries(queue, priority, enqueued_at, run_id)
          WHERE dequeued_at IS NULL AND NOT done;
        CREATE INDEX queue_entries_active ON queue_entries(queue, partition_key)
          WHERE dequeued_at IS NOT NULL AND NOT done;
        CREATE INDEX queue_entries_dequeues ON queue_entries(queue, dequeued_at) WHERE dequeued_at IS NOT NULL;
        CREATE UNIQUE INDEX queue_entries_dedup ON queue_entries(queue, deduplication_id)
          WHERE deduplication_id <> '' AND NOT done;
        CREATE FUNCTION queue_entry_done() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
        BEGIN
          UPDATE queue_entries SET done = true WHERE run_id = NEW.id AND NOT done;
          RETURN NULL;
        END $$;
        CREATE TRIGGER queue_entries_done AFTER UPDATE OF status ON runs FOR EACH ROW
          WHEN (NEW.status IN ('completed', 'failed', 'cancelled')) EXECUTE FUNCTION queue_entry_done();
      )sql",
       0},
      // 8 (issue 16): a cancellation reaches the run's unfinished children, except those started
      // detached. Only adds: older builds cancel the run alone, as they always did.
      {R"sql(
        CREATE INDEX runs_by_parent ON runs(parent_run_id) WHERE parent_run_id <> '';
        CREATE TABLE detached_runs (run_id TEXT COLLATE "C" PRIMARY KEY);
      )sql",
       0},
      // 9 (issue 16, retention; docs/retention.md): finished runs found by when they ended, and
      // the runs an operator marked to keep. Only adds: older builds never delete runs.
      {R"sql(
        CREATE INDEX runs_finished ON runs(completed_at) WHERE status IN ('completed', 'failed', 'cancelled');
        CREATE TABLE kept_runs (run_id TEXT COLLATE "C" PRIMARY KEY, kept_at BIGINT NOT NULL);
      )sql",
       0},
  };
  return all;
}

// The version marker (one row), created with the schema's first migration.
constexpr const char* kCreateVersionTable =
    "CREATE TABLE schema_version (version INTEGER NOT NULL, oldest_usable_version INTEGER NOT NULL); "
    "INSERT INTO schema_version VALUES (0, 0)";

// What the schema holds, read from the catalogs.
constexpr const char* kInspectSchema =
    "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1), "
    "(SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    " WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')), "
    "(SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
    " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 "
    " AND c.relname = 'schema_version' AND c.relkind = 'r' AND NOT a.attisdropped "
    " AND a.attname IN ('version', 'oldest_usable_version'))";

struct SchemaState {
  bool exists = false;
  bool has_version_table = false;
  int version = 0;
};

// A stable key for pg_advisory_xact_lock, per schema (FNV-1a): migrations of other schemas in
// the same database do not wait for each other.
std::int64_t migration_lock_key(const std::string& schema) {
  std::uint64_t hash = 14695981039346656037ull;
  for (char c : "workflow-cpp journal migration " + schema) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return static_cast<std::int64_t>(hash);
}

// Reads and judges the schema. Every statement reads only.
SchemaState inspect(PgConnection& connection) {
  const auto& target = connection.target();
  auto catalog = connection.run(kInspectSchema, PgParams().add(target.schema));
  SchemaState state;
  state.exists = catalog.boolean(0, 0);
  auto tables = catalog.integer(0, 1);
  state.has_version_table = catalog.integer(0, 2) == 2;
  std::optional<std::int64_t> oldest_usable;
  if (state.has_version_table) {
    auto marker = connection.exec("SELECT max(version), max(oldest_usable_version) FROM " +
                                  quoted_schema(target.schema) + ".schema_version");
    state.version = static_cast<int>(marker.optional_integer(0, 0).value_or(-1));
    oldest_usable = marker.optional_integer(0, 1);
  }
  if (tables > 0 && (!state.has_version_table || state.version < 0))
    throw StorageError("schema \"" + target.schema + "\" of database " + target.location +
                       " holds tables that are not a workflow-cpp journal; choose another schema "
                       "(?schema=... in the URL, or StoreOptions::schema)");
  if (state.version > latest_postgres_schema_version() && oldest_usable.value_or(0) > latest_postgres_schema_version())
    throw StorageError("schema \"" + target.schema + "\" of database " + target.location +
                       " has journal schema version " + std::to_string(state.version) +
                       ", newer than this build of workflow-cpp knows (" +
                       std::to_string(latest_postgres_schema_version()) +
                       ") and not usable by it; it was written by a newer release: upgrade, or use another schema");
  return state;
}

}  // namespace

int latest_postgres_schema_version() { return static_cast<int>(migrations().size()); }

int check_postgres_journal(PgConnection& connection) {
  // One snapshot for the catalogs and the marker: a migration committing meanwhile is seen whole.
  connection.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    auto version = inspect(connection).version;
    connection.exec("COMMIT");
    return version;
  } catch (...) {
    if (!connection.broken()) PQclear(PQexec(connection.handle(), "ROLLBACK"));
    throw;
  }
}

void migrate_postgres_journal(PgConnection& connection) {
  // An up-to-date journal is not locked: every process opening it would otherwise queue behind
  // whichever one holds the lock.
  if (check_postgres_journal(connection) >= latest_postgres_schema_version()) return;
  const auto& schema = connection.target().schema;
  connection.exec("BEGIN");
  try {
    connection.run("SELECT pg_advisory_xact_lock($1::bigint)", PgParams().add(migration_lock_key(schema)));
    // Checked again under the lock: another process may have migrated meanwhile.
    auto state = inspect(connection);
    if (state.version < latest_postgres_schema_version()) {
      // Created only when missing: CREATE SCHEMA needs a privilege on the database that a user
      // given an existing schema may lack, even with IF NOT EXISTS.
      if (!state.exists) connection.exec("CREATE SCHEMA " + quoted_schema(schema));
      if (!state.has_version_table) connection.exec(kCreateVersionTable);
      int oldest_usable = 0;
      for (int next = 0; next < latest_postgres_schema_version(); ++next) {
        const auto& migration = migrations()[static_cast<std::size_t>(next)];
        if (next >= state.version) connection.exec(migration.sql);
        oldest_usable = std::max(oldest_usable, migration.oldest_usable_version);
      }
      connection.run("UPDATE schema_version SET version = $1::integer, "
                     "oldest_usable_version = greatest(oldest_usable_version, $2::integer)",
                     PgParams().add(std::int64_t{latest_postgres_schema_version()}).add(std::int64_t{oldest_usable}));
    }
    connection.exec("COMMIT");
  } catch (...) {
    if (!connection.broken()) PQclear(PQexec(connection.handle(), "ROLLBACK"));
    throw;
  }
}

}  // namespace workflow::detail
