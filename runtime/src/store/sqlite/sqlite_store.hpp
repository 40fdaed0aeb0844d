// The SQLite journal backend: one WAL-mode file shared by every process on the host.
//
// One writer connection (writes are serialised in-process; other processes wait up to the busy
// timeout) and a pool of reader connections, so a reader never waits for the writer.
#pragma once

#include "store/journal_store.hpp"
#include "store/sqlite/journal_file_watch.hpp"
#include "store/sqlite/sqlite_connection.hpp"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace workflow::detail {

class SqliteStore final : public JournalStore {
 public:
  /// `reserve_wal`: extend the write-ahead log with zeros up front (see reserve_wal_space), for
  /// processes that will write a lot.
  SqliteStore(std::string path, const StoreOptions& options, bool reserve_wal);
  ~SqliteStore() override;

  std::unique_ptr<StoreTransaction> read() override;
  std::unique_ptr<StoreTransaction> write(bool durable) override;
  std::uint64_t wait_for_change(std::uint64_t seen, TimePoint deadline) override;
  void interrupt_waits() override;
  const std::string& location() const override { return path_; }
  std::optional<std::string> lost() override;

 private:
  friend class SqliteReaderLease;
  std::unique_ptr<SqliteConnection> open_connection() const;
  void switch_to_wal();
  void reserve_wal_space(std::int64_t bytes);
  std::unique_ptr<SqliteConnection> take_reader();
  void return_reader(std::unique_ptr<SqliteConnection> connection);
  /// Throws JournalLostError once the files were removed or replaced. Called with the writer
  /// mutex held.
  void check_files();

  std::string path_;
  bool durable_commits_;
  bool read_only_;
  /// Read-only, and no shared-memory file could be made: opened immutable (no process writes).
  bool read_as_it_stands_ = false;
  std::chrono::milliseconds busy_timeout_;
  std::mutex writer_mutex_;
  std::unique_ptr<SqliteConnection> writer_;
  bool writer_syncs_ = true;
  std::mutex change_mutex_;
  std::condition_variable change_happened_;
  std::int64_t last_data_version_ = 0;  // guarded by change_mutex_
  std::uint64_t change_count_ = 0;
  bool interrupted_ = false;
  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;
  std::unique_ptr<JournalFileWatch> files_;
  bool rescue_tried_ = false;  // guarded by writer_mutex_, as is lost_message_
  std::string lost_message_;
};

}  // namespace workflow::detail
