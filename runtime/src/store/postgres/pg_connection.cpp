// libpq connections of the PostgreSQL journal: connecting without blocking past a deadline,
// prepared statements, and the mapping of SQLSTATEs to the journal's exception types.
#include "store/postgres/pg_connection.hpp"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <new>

namespace workflow::detail {
namespace {

std::string error_field(const PGresult* result, int field) {
  const char* value = result ? PQresultErrorField(result, field) : nullptr;
  return value ? value : "";
}

// Class 08 is "connection exception"; 57P01-57P03 are the server shutting down, crashing, or
// not yet accepting connections: in each the session is gone.
bool means_connection_lost(const std::string& state) {
  return state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03";
}

}  // namespace

std::string one_line(std::string_view message) {
  std::string line;
  bool space = false;
  for (char c : message) {
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      space = !line.empty();
      continue;
    }
    if (space) line += ' ';
    space = false;
    line += c;
  }
  return line;
}

PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = other.result_;
    other.result_ = nullptr;
  }
  return *this;
}

std::int64_t PgResult::affected() const {
  const char* count = PQcmdTuples(result_);
  return count && *count ? std::strtoll(count, nullptr, 10) : 0;
}

std::string PgResult::text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column),
                     static_cast<std::size_t>(PQgetlength(result_, row, column)));
}

std::int64_t PgResult::integer(int row, int column) const {
  return std::strtoll(PQgetvalue(result_, row, column), nullptr, 10);
}

std::optional<std::int64_t> PgResult::optional_integer(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return integer(row, column);
}

bool PgResult::boolean(int row, int column) const { return PQgetvalue(result_, row, column)[0] == 't'; }

PgParams& PgParams::add(std::string_view text) {
  values_.emplace_back(std::string(text));
  return *this;
}

PgParams& PgParams::add(std::int64_t value) {
  values_.emplace_back(std::to_string(value));
  return *this;
}

PgParams& PgParams::add(const std::optional<std::int64_t>& value) {
  return value ? add(*value) : add_null();
}

PgParams& PgParams::add_null() {
  values_.emplace_back(std::nullopt);
  return *this;
}

PgParams& PgParams::add_text_array(const std::vector<std::string>& values) {
  // Every element quoted, so that no string reads as NULL or splits at a comma or brace.
  std::string literal = "{";
  for (const auto& value : values) {
    if (literal.size() > 1) literal += ',';
    literal += '"';
    for (char c : value) {
      if (c == '"' || c == '\\') literal += '\\';
      literal += c;
    }
    literal += '"';
  }
  literal += '}';
  values_.emplace_back(std::move(literal));
  return *this;
}

std::vector<const char*> PgParams::pointers() const {
  std::vector<const char*> result;
  result.reserve(values_.size());
  for (const auto& value : values_) result.push_back(value ? value->c_str() : nullptr);
  return result;
}

PgConnection::PgConnection(const PgTarget& target, Deadline deadline, int cancel_fd) : target_(target) {
  auto timeout_ms = std::max<std::int64_t>(target.options.connect_timeout.count(), 1);
  auto timeout_seconds = std::to_string(std::max<std::int64_t>((timeout_ms + 999) / 1000, 2));
  // Keywords before `dbname` are defaults the URL may override; those after it are not.
  // Keepalives notice a server that vanished without closing the connection (a dead host).
  const char* keywords[] = {"fallback_application_name", "connect_timeout", "keepalives_idle",
                            "keepalives_interval", "keepalives_count", "dbname", "client_encoding",
                            nullptr};
  const char* values[] = {"workflow-cpp", timeout_seconds.c_str(), "30", "10", "3",
                          target_.connect_url.c_str(), "UTF8", nullptr};
  // Asynchronous, so that the deadline holds and a closing store is not kept waiting.
  conn_ = PQconnectStartParams(keywords, values, /*expand_dbname=*/1);
  if (!conn_) throw std::bad_alloc();
  // Notices ("... already exists, skipping", a FATAL arriving while idle) would go to stderr;
  // what matters reaches us as errors.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  try {
    auto state = PQstatus(conn_) == CONNECTION_BAD ? PGRES_POLLING_FAILED : PGRES_POLLING_WRITING;
    while (state != PGRES_POLLING_OK) {
      if (state == PGRES_POLLING_FAILED) {
        auto reason = one_line(PQerrorMessage(conn_));
        throw PgConnectionLostError("workflow journal " + target_.location + ": cannot connect to the server (" +
                                        reason + ")",
                                    reason);
      }
      wait_for_socket(state == PGRES_POLLING_WRITING, deadline, cancel_fd);
      state = PQconnectPoll(conn_);
    }
    auto lock_timeout = std::max<std::int64_t>(target_.options.busy_timeout.count(), 1);
    exec("SET search_path TO " + quoted_schema(target_.schema) + "; SET lock_timeout = " +
         std::to_string(lock_timeout) + "; SET synchronous_commit = " +
         (target_.options.durable_commits ? "on" : "off"));
  } catch (...) {
    PQfinish(conn_);
    throw;
  }
}

PgConnection::~PgConnection() { PQfinish(conn_); }

void PgConnection::wait_for_socket(bool for_writing, Deadline deadline, int cancel_fd) {
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      std::string reason = "no answer within the connect timeout, " +
                           std::to_string(target_.options.connect_timeout.count()) + " ms";
      throw PgConnectionLostError("workflow journal " + target_.location + ": cannot connect to the server (" +
                                      reason + ")",
                                  reason);
    }
    pollfd fds[2] = {{PQsocket(conn_), static_cast<short>(for_writing ? POLLOUT : POLLIN), 0},
                     {cancel_fd, POLLIN, 0}};
    int ready = ::poll(fds, cancel_fd >= 0 ? 2 : 1, static_cast<int>(std::min<std::int64_t>(left.count(), 60'000)));
    if (ready < 0 && errno != EINTR)
      throw PgConnectionLostError("workflow journal " + target_.location + ": cannot wait for the server",
                                  "poll failed");
    if (ready <= 0) continue;
    if (cancel_fd >= 0 && fds[1].revents != 0)
      throw PgConnectionLostError("workflow journal " + target_.location + ": connecting was cancelled",
                                  "cancelled");
    if (fds[0].revents != 0) return;
  }
}

PgResult PgConnection::exec(const std::string& sql) {
  return checked(PQexec(conn_, sql.c_str()), sql);
}

PgResult PgConnection::run(const std::string& sql, const PgParams& params) {
  auto found = prepared_.find(sql);
  if (found == prepared_.end()) {
    // Prepared statements belong to the session, not to the transaction: a rollback keeps them.
    std::string name = "s" + std::to_string(prepared_.size() + 1);
    checked(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr), sql);
    found = prepared_.emplace(sql, std::move(name)).first;
  }
  auto values = params.pointers();
  return checked(PQexecPrepared(conn_, found->second.c_str(), params.size(), values.data(), nullptr,
                                nullptr, /*resultFormat=text*/ 0),
                 sql);
}

PgResult PgConnection::checked(PGresult* result, std::string_view sql) {
  PgResult owned(result);
  auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(result, sql);
  return owned;
}

void PgConnection::fail(const PGresult* result, std::string_view sql) {
  auto state = error_field(result, PG_DIAG_SQLSTATE);
  auto message = error_field(result, PG_DIAG_MESSAGE_PRIMARY);
  if (auto detail = error_field(result, PG_DIAG_MESSAGE_DETAIL); !detail.empty()) message += "; " + detail;
  message = one_line(message.empty() ? PQerrorMessage(conn_) : message);
  auto statement = one_line(sql.substr(0, 120)) + (sql.size() > 120 ? "..." : "");
  if (PQstatus(conn_) != CONNECTION_OK || means_connection_lost(state)) {
    broken_ = true;
    throw PgConnectionLostError("workflow journal " + target_.location + ": connection lost (" + message +
                                    ", while running: " + statement + ")",
                                message);
  }
  auto where = " (SQLSTATE " + (state.empty() ? std::string("none") : state) + ", while running: " + statement + ")";
  if (state == "40P01" || state == "40001")
    throw TransactionConflictError("workflow journal " + target_.location +
                                   ": the transaction lost a conflict with another one and was rolled back (" +
                                   message + ")" + where);
  if (state == "55P03")
    throw JournalBusyError("workflow journal " + target_.location +
                           ": a row or table stayed locked by another transaction (" + message +
                           "); it gave up after the busy timeout (StoreOptions::busy_timeout)" + where);
  throw StorageError("workflow journal " + target_.location + ": " + message + where);
}

}  // namespace workflow::detail
