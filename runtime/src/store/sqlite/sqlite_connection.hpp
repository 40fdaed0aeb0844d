// A thin RAII layer over one sqlite3 connection: cached prepared statements, errors as
// StorageError naming the database file.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace workflow::detail {

class SqliteConnection;

/// A prepared statement, reset and cleared when the Statement goes out of scope.
class Statement {
 public:
  Statement(SqliteConnection& connection, sqlite3_stmt* stmt) : connection_(connection), stmt_(stmt) {}
  Statement(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  Statement& bind_null(int index);
  Statement& bind(int index, const std::optional<std::int64_t>& value);

  /// Steps once; true while there is a row.
  bool step();
  /// Steps to the end (for statements that return nothing).
  void run();

  bool is_null(int column) const;
  std::int64_t integer(int column) const;
  std::string text(int column) const;
  std::optional<std::int64_t> optional_integer(int column) const;

 private:
  SqliteConnection& connection_;
  sqlite3_stmt* stmt_;
};

class SqliteConnection {
 public:
  /// Opens `path`, or `uri` (a `file:` URI with parameters) when given; messages name `path`.
  SqliteConnection(std::string path, int flags, const std::string& uri = {});
  SqliteConnection(const SqliteConnection&) = delete;
  ~SqliteConnection();

  /// Runs one or more statements that return nothing.
  void exec(const char* sql);
  /// A cached prepared statement for `sql` (a string literal: the cache keys on its address).
  Statement prepare(const char* sql);
  /// An integer-valued PRAGMA or query.
  std::int64_t query_integer(const char* sql);

  [[noreturn]] void fail(int code, std::string_view doing) const;
  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;
};

}  // namespace workflow::detail
