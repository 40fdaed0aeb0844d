// How the engine and the operator tools talk to the journal, whatever its backend.
#pragma once

#include <chrono>
#include <string>

namespace workflow {

/// Settings of the journal store (Config::store). Each applies to both backends unless it says
/// otherwise; none is needed for a first run.
struct StoreOptions {
  /// How long a write waits for a lock another process holds before it fails with
  /// JournalBusyError (SQLite: the busy timeout; PostgreSQL: `lock_timeout`).
  std::chrono::milliseconds busy_timeout{5000};
  /// Commit durably (SQLite: `synchronous=FULL`; PostgreSQL: `synchronous_commit=on`). Turn off
  /// only for throwaway journals: a power loss may then lose the last commits.
  bool durable_commits = true;
  /// Only inspect: the journal must exist already; it is not created, and it is opened read-only
  /// (once it has this build's schema: an older one is migrated first), so a mistyped path is an
  /// error instead of a new, empty journal, and a journal the process may not write to can still
  /// be read. On SQLite, writes then fail with StorageError.
  bool read_only = false;
  /// PostgreSQL: the schema holding the journal's tables. Empty: the URL's `schema` parameter,
  /// else `workflow`. Several journals can share one database under different schemas.
  std::string schema;
  /// PostgreSQL: most connections this process opens for reading at once (besides one for
  /// writing and one for listening to other processes' changes).
  unsigned max_read_connections = 4;
  /// PostgreSQL: how long to wait for the server when connecting.
  std::chrono::milliseconds connect_timeout{10000};
};

}  // namespace workflow
