// The SQLite journal's schema, as numbered migrations applied in order on open.
// PRAGMA user_version records the last one applied; application_id marks the file as ours.
#pragma once

#include "store/sqlite/sqlite_connection.hpp"

namespace workflow::detail {

/// 'wfcp': marks a SQLite file as a workflow-cpp journal.
inline constexpr int kSqliteApplicationId = 0x77666370;

/// The newest schema version this build knows.
int latest_sqlite_schema_version();

/// Checks that `connection` is empty or a journal this build can use, without writing anything.
/// Throws StorageError naming the problem otherwise. Returns the schema version found.
int check_sqlite_journal(SqliteConnection& connection);

/// Applies the migrations `connection` lacks, in one transaction.
void migrate_sqlite_journal(SqliteConnection& connection);

}  // namespace workflow::detail
