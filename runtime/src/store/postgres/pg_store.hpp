// The PostgreSQL journal backend: one schema of a database that workers on many machines share.
//
// Connections: one for writing (write transactions of this store object take turns on it, like
// SqliteStore's), a pool of readers (up to StoreOptions::max_read_connections kept idle, more
// opened under load), and one that listens for other processes' commits (PgChangeListener,
// started by the first wait_for_change, or at once for a store that writes a lot). All share one
// PgLink: a broken connection is dropped, the operation in progress throws StorageError, and the
// next use reconnects with back-off. Concurrency with other processes is the server's: row
// locks, SKIP LOCKED claims, and conflicts reported as TransactionConflictError.
#pragma once

#include "store/journal_store.hpp"
#include "store/postgres/pg_link.hpp"
#include "store/postgres/pg_listener.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace workflow::detail {

class PostgresStore final : public JournalStore {
 public:
  /// Connects to `url` (postgresql:// or postgres://), checks the schema, and creates or migrates
  /// it. Throws ConfigurationError for a bad schema name, StorageError when the server cannot be
  /// reached (a store that writes a lot, a worker's, tries for up to connect_timeout; others
  /// once) or the schema is not a journal this build can use.
  PostgresStore(const std::string& url, const StoreOptions& options, bool writes_a_lot);
  ~PostgresStore() override;

  std::unique_ptr<StoreTransaction> read() override;
  std::unique_ptr<StoreTransaction> write(bool durable) override;
  std::uint64_t wait_for_change(std::uint64_t seen, TimePoint deadline) override;
  void interrupt_waits() override;
  const std::string& location() const override { return link_.target().location; }

 private:
  void begin(std::unique_ptr<PgConnection>& connection, const char* sql);
  std::unique_ptr<PgConnection> take_reader();
  void return_reader(std::unique_ptr<PgConnection> connection);

  PgLink link_;
  // Run before COMMIT by write transactions that changed something.
  std::string notify_sql_;
  std::mutex writer_mutex_;
  std::unique_ptr<PgConnection> writer_;
  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<PgConnection>> idle_readers_;
  // Declared last: its thread stops first.
  std::unique_ptr<PgChangeListener> listener_;
};

}  // namespace workflow::detail
