// Numbered schema migrations of the PostgreSQL journal, and the check that a schema is a journal
// this build can use. The numbering mirrors the SQLite journal's (docs/journal.md).
#pragma once

#include "store/postgres/pg_connection.hpp"

namespace workflow::detail {

int latest_postgres_schema_version();

/// Checks, writing nothing, that the target's schema is missing, empty, or a journal this build
/// can use; returns its version (0: no journal yet). Throws StorageError for a schema holding
/// other tables, or a journal written by a newer build that this one cannot use.
int check_postgres_journal(PgConnection& connection);

/// Creates the schema and its tables, or migrates them to this build's version. Processes doing
/// this at once take turns on an advisory lock; an up-to-date journal is not locked at all.
void migrate_postgres_journal(PgConnection& connection);

}  // namespace workflow::detail
