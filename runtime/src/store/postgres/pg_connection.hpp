// A thin RAII layer over one libpq connection: statements prepared once per connection and run
// with text parameters, errors as the documented exception types naming the journal (never its
// password) and the SQLSTATE.
#pragma once

#include "store/journal_store.hpp"
#include "store/postgres/pg_url.hpp"

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace workflow::detail {

/// The connection to the server broke, or none could be made. What the statement in progress
/// did is unknown (a COMMIT may or may not have happened); the connection is of no further use.
class PgConnectionLostError : public StorageError {
 public:
  PgConnectionLostError(const std::string& message, std::string reason)
      : StorageError(message), reason_(std::move(reason)) {}
  /// libpq's or the server's words, on one line (for the "connection lost" message).
  const std::string& reason() const { return reason_; }

 private:
  std::string reason_;
};

/// One statement's result; rows and columns count from 0, values are in text format.
class PgResult {
 public:
  explicit PgResult(PGresult* result = nullptr) : result_(result) {}
  PgResult(PgResult&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  ~PgResult() { PQclear(result_); }

  int rows() const { return PQntuples(result_); }
  /// Rows an INSERT, UPDATE or DELETE changed.
  std::int64_t affected() const;
  /// The command tag: "COMMIT", "ROLLBACK", "UPDATE 3", ...
  std::string command_status() const { return PQcmdStatus(result_); }
  bool is_null(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }
  std::string text(int row, int column) const;
  std::int64_t integer(int row, int column) const;
  std::optional<std::int64_t> optional_integer(int row, int column) const;
  bool boolean(int row, int column) const;

 private:
  PGresult* result_;
};

/// The text parameters of one statement, $1, $2, ... in the order added.
class PgParams {
 public:
  PgParams& add(std::string_view text);
  PgParams& add(std::int64_t value);
  PgParams& add(const std::optional<std::int64_t>& value);
  PgParams& add_null();
  /// A `text[]` literal: pass to a parameter cast as `$n::text[]`. Any strings, quoted and escaped.
  PgParams& add_text_array(const std::vector<std::string>& values);

  int size() const { return static_cast<int>(values_.size()); }
  /// Pointers into this object, valid while it lives: what PQexecPrepared takes.
  std::vector<const char*> pointers() const;

 private:
  std::vector<std::optional<std::string>> values_;
};

class PgConnection {
 public:
  using Deadline = std::chrono::steady_clock::time_point;

  /// Connects to `target` and sets up the session (search path, lock timeout, commit durability).
  /// Gives up at `deadline`, or as soon as `cancel_fd` (if not -1) becomes readable. Throws
  /// PgConnectionLostError naming the server and libpq's reason.
  PgConnection(const PgTarget& target, Deadline deadline, int cancel_fd = -1);
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection();

  /// Runs one or more statements without parameters (simple query protocol); the last result.
  PgResult exec(const std::string& sql);
  /// Runs `sql` as a prepared statement, prepared on this connection at its first use.
  PgResult run(const std::string& sql, const PgParams& params = {});

  /// A lost-connection error was thrown: the connection must be discarded.
  bool broken() const { return broken_ || PQstatus(conn_) != CONNECTION_OK; }
  /// The server's status of the session: idle, in a transaction, or in a failed one.
  PGTransactionStatusType transaction_status() const { return PQtransactionStatus(conn_); }
  PGconn* handle() const { return conn_; }
  const PgTarget& target() const { return target_; }
  /// Which incarnation of the store's link to the server made this connection (see PgLink).
  std::uint64_t generation() const { return generation_; }
  void set_generation(std::uint64_t generation) { generation_ = generation; }

  /// Throws for a failed `result` (or, if null, for the connection's last error) of `sql`: a
  /// broken connection as PgConnectionLostError, a lost conflict as TransactionConflictError, a
  /// lock timeout as JournalBusyError, anything else as StorageError.
  [[noreturn]] void fail(const PGresult* result, std::string_view sql);

 private:
  void wait_for_socket(bool for_writing, Deadline deadline, int cancel_fd);
  PgResult checked(PGresult* result, std::string_view sql);

  PgTarget target_;
  PGconn* conn_ = nullptr;
  bool broken_ = false;
  std::uint64_t generation_ = 0;
  // Statement text -> its prepared name ("s1", "s2", ...).
  std::unordered_map<std::string, std::string> prepared_;
};

/// libpq's message (several lines, trailing newline) as one line.
std::string one_line(std::string_view message);

}  // namespace workflow::detail
