// Notices that a SQLite journal's files were removed or replaced under a process using them.
//
// A process keeps writing to the files it opened, whatever happens to their names: after an
// `rm journal.db-wal` every commit goes into a log that no later process will read, and is lost
// at the next restart without a trace. The watch compares the files behind the names with the
// ones opened (device and inode) before each write transaction and on the change poll, so the
// process stops writing within milliseconds and says why.
//
// Thread safety: check() may be called from any thread.
#pragma once

#include <sys/types.h>

#include <mutex>
#include <optional>
#include <string>

namespace workflow::detail {

class JournalFileWatch {
 public:
  /// Starts watching `path` (already open) and its `-wal` (from when it first exists).
  explicit JournalFileWatch(std::string path);

  struct Loss {
    std::string why;
    /// Only the log went: the journal file this process has open is still the journal, so a
    /// checkpoint through the open log can still put its commits there.
    bool log_only = false;
  };
  /// Why the files can no longer be trusted, once they could not; nothing while they can.
  std::optional<Loss> check();

 private:
  struct FileId {
    dev_t device = 0;
    ino_t inode = 0;
    bool operator==(const FileId&) const = default;
  };
  static std::optional<FileId> identify(const std::string& path);

  std::string path_;
  std::mutex mutex_;
  std::optional<FileId> journal_;
  std::optional<FileId> log_;  // guarded by mutex_, as is lost_
  std::optional<Loss> lost_;
};

}  // namespace workflow::detail
