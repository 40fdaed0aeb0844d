// SQLite connection and statement wrappers.
#include "store/sqlite/sqlite_connection.hpp"

#include <workflow/errors.hpp>

namespace workflow::detail {

Statement::~Statement() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

bool Statement::step() {
  int code = sqlite3_step(stmt_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  connection_.fail(code, sqlite3_sql(stmt_));
}

void Statement::run() {
  while (step()) {
  }
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::text(int column) const {
  auto bytes = sqlite3_column_text(stmt_, column);
  if (!bytes) return {};
  return std::string(reinterpret_cast<const char*>(bytes),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::int64_t> Statement::optional_integer(int column) const {
  if (is_null(column)) return std::nullopt;
  return integer(column);
}

SqliteConnection::SqliteConnection(std::string path, int flags, const std::string& uri) : path_(std::move(path)) {
  int code = sqlite3_open_v2(uri.empty() ? path_.c_str() : uri.c_str(), &db_,
                             flags | SQLITE_OPEN_NOMUTEX | (uri.empty() ? 0 : SQLITE_OPEN_URI), nullptr);
  if (code != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
    sqlite3_close(db_);
    db_ = nullptr;
    throw StorageError("cannot open workflow journal '" + path_ + "': " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

void SqliteConnection::exec(const char* sql) {
  char* error = nullptr;
  int code = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
  if (error) sqlite3_free(error);
  if (code != SQLITE_OK) fail(code, sql);
}

Statement SqliteConnection::prepare(const char* sql) {
  auto found = statements_.find(sql);
  if (found == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int code = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (code != SQLITE_OK) fail(code, sql);
    found = statements_.emplace(sql, stmt).first;
  }
  return Statement(*this, found->second);
}

std::int64_t SqliteConnection::query_integer(const char* sql) {
  auto statement = prepare(sql);
  return statement.step() ? statement.integer(0) : 0;
}

void SqliteConnection::fail(int code, std::string_view doing) const {
  int primary = code & 0xff;
  std::string cause = sqlite3_errmsg(db_);
  if (primary == SQLITE_NOTADB)
    throw StorageError("'" + path_ + "' is not a workflow journal: the file is not a SQLite database");
  std::string statement(doing.substr(0, 120));
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    throw JournalBusyError("workflow journal '" + path_ +
                           "' is locked by another connection or process (" + cause +
                           ", while running: " + statement +
                           "); it gave up after the busy timeout (Config::busy_timeout)");
  throw StorageError("workflow journal '" + path_ + "': " + cause + " (while running: " +
                     statement + ")");
}

}  // namespace workflow::detail
