// The retention queries of the SQLite journal (docs/retention.md); the SQLite transaction's
// retention methods (journal_store.hpp) call these. Write transactions exclude each other on
// SQLite, so the rows they read need no locks of their own.
#pragma once

#include "store/records.hpp"
#include "store/sqlite/sqlite_connection.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace workflow::detail::sqlite_retention {

std::vector<std::string> roots(SqliteConnection& connection, const PruneSelection& selection, std::size_t limit);
std::vector<PrunableChild> children(SqliteConnection& connection, const std::vector<std::string>& parent_run_ids);
PruneCounts remove(SqliteConnection& connection, const std::vector<std::string>& run_ids);
PruneCounts count(SqliteConnection& connection, const PruneSelection& selection);
void set_kept(SqliteConnection& connection, std::string_view run_id, bool keep, TimePoint at);
bool kept(SqliteConnection& connection, std::string_view run_id);
JournalSize size(SqliteConnection& connection);

}  // namespace workflow::detail::sqlite_retention
