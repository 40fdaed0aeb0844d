// PostgreSQL implementation of the journal store: connections, transactions, notifications.
#include "store/postgres/pg_store.hpp"

#include "store/postgres/pg_migrations.hpp"
#include "store/postgres/pg_transaction.hpp"

#include <unistd.h>

#include <cstdio>
#include <random>

namespace workflow::detail {
namespace {

constexpr const char* kBeginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
// Spelt out: a server's default_transaction_isolation may say otherwise.
constexpr const char* kBeginWrite = "BEGIN ISOLATION LEVEL READ COMMITTED";
// PostgreSQL writes WAL in order: the next durable commit makes this one durable too.
constexpr const char* kBeginLazyWrite = "BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL synchronous_commit = off";

// The channel of the schema's journal: an identifier of at most 63 bytes. A long schema name is
// hashed (FNV-1a); two schemas sharing a channel would only wake each other's waiters.
std::string channel_for(const std::string& schema) {
  std::string channel = "workflow_changes_" + schema;
  if (channel.size() <= 63) return channel;
  std::uint64_t hash = 14695981039346656037ull;
  for (char c : schema) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return "workflow_changes_" + std::string(hex);
}

// Tells this store object's notifications apart from those of every other store, in this
// process or another.
std::string store_token() {
  std::random_device random;
  std::uint64_t bits = (std::uint64_t{random()} << 32) | random();
  char token[48];
  std::snprintf(token, sizeof token, "%ld-%016llx", static_cast<long>(::getpid()),
                static_cast<unsigned long long>(bits));
  return token;
}

}  // namespace

PostgresStore::PostgresStore(const std::string& url, const StoreOptions& options, bool writes_a_lot)
    : link_(parse_postgres_url(url, options)) {
  // A worker started while the server restarts waits for it (up to connect_timeout); a tool
  // (`wf`) reports an unreachable server at once.
  writer_ = link_.connect(/*retry=*/writes_a_lot);
  // Checks before writing anything, then migrates under an advisory lock if need be.
  // A reader needs the journal to exist (a mistyped schema is not a new journal); an older one
  // is migrated as for anyone, since reading needs this build's tables.
  if (options.read_only && check_postgres_journal(*writer_) == 0)
    throw StorageError("no workflow journal in schema \"" + link_.target().schema + "\" of database " +
                       link_.target().location + ": commands that only read do not create one");
  migrate_postgres_journal(*writer_);
  auto channel = channel_for(link_.target().schema);
  auto token = store_token();
  notify_sql_ = "SELECT pg_notify('" + channel + "', '" + token + "')";
  listener_ = std::make_unique<PgChangeListener>(link_, channel, token);
  // A worker waits for changes from the start: listening at once, it misses none in between.
  if (writes_a_lot) listener_->start();
}

PostgresStore::~PostgresStore() = default;

// A connection that broke while idle (the server restarted since its last use) fails at its
// BEGIN, before anything happened: it is replaced once. A new connection failing is reported.
void PostgresStore::begin(std::unique_ptr<PgConnection>& connection, const char* sql) {
  if (connection && (connection->broken() || connection->generation() != link_.generation())) connection.reset();
  for (;;) {
    bool fresh = !connection;
    if (fresh) connection = link_.connect(/*retry=*/true);
    try {
      connection->exec(sql);
      return;
    } catch (const PgConnectionLostError& error) {
      link_.lost(connection->generation(), error.reason());
      connection.reset();
      if (fresh) throw;
    }
  }
}

std::unique_ptr<PgConnection> PostgresStore::take_reader() {
  std::unique_ptr<PgConnection> connection;
  {
    std::lock_guard lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      connection = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
  }
  begin(connection, kBeginRead);
  return connection;
}

void PostgresStore::return_reader(std::unique_ptr<PgConnection> connection) {
  link_.check(*connection);
  if (connection->broken() || connection->generation() != link_.generation() ||
      connection->transaction_status() != PQTRANS_IDLE)
    return;
  std::lock_guard lock(readers_mutex_);
  if (idle_readers_.size() < link_.target().options.max_read_connections) idle_readers_.push_back(std::move(connection));
}

std::unique_ptr<StoreTransaction> PostgresStore::read() {
  auto connection = std::make_shared<std::unique_ptr<PgConnection>>(take_reader());
  auto& handle = **connection;
  return std::make_unique<PgTransaction>(handle, /*writes=*/false, std::string(),
                                         [this, connection] { return_reader(std::move(*connection)); });
}

std::unique_ptr<StoreTransaction> PostgresStore::write(bool durable) {
  std::unique_lock lock(writer_mutex_);
  begin(writer_, durable || !link_.target().options.durable_commits ? kBeginWrite : kBeginLazyWrite);
  auto shared_lock = std::make_shared<std::unique_lock<std::mutex>>(std::move(lock));
  return std::make_unique<PgTransaction>(*writer_, /*writes=*/true, notify_sql_, [this, shared_lock] {
    // Still under the writer lock: a broken writer is dropped, the next write() reconnects.
    link_.check(*writer_);
    if (writer_->broken() || writer_->transaction_status() != PQTRANS_IDLE) writer_.reset();
    shared_lock->unlock();
  });
}

std::uint64_t PostgresStore::wait_for_change(std::uint64_t seen, TimePoint deadline) {
  return listener_->wait(seen, deadline);
}

void PostgresStore::interrupt_waits() { listener_->interrupt(); }

}  // namespace workflow::detail
