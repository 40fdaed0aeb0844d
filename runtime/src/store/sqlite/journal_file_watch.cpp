// Watching a journal's files for removal or replacement.
#include "store/sqlite/journal_file_watch.hpp"

#include <sys/stat.h>

namespace workflow::detail {

JournalFileWatch::JournalFileWatch(std::string path) : path_(std::move(path)) {
  journal_ = identify(path_);
  log_ = identify(path_ + "-wal");
}

std::optional<JournalFileWatch::FileId> JournalFileWatch::identify(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return std::nullopt;
  return FileId{info.st_dev, info.st_ino};
}

std::optional<JournalFileWatch::Loss> JournalFileWatch::check() {
  std::lock_guard lock(mutex_);
  if (lost_) return lost_;
  auto journal = identify(path_);
  if (journal_ && journal != journal_) {
    lost_ = Loss{"the journal file '" + path_ + "' was " + (journal ? "replaced" : "removed") +
                     " while this process had it open",
                 false};
    return lost_;
  }
  auto log = identify(path_ + "-wal");
  // The log appears with the first write after a fresh open; SQLite itself removes it only when
  // the last connection closes, and this process still has its own open.
  if (!log_) log_ = log;
  else if (log != log_)
    lost_ = Loss{"the journal's write-ahead log '" + path_ + "-wal' was " + (log ? "replaced" : "removed") +
                     " while this process had it open (it holds the commits since the last checkpoint)",
                 true};
  return lost_;
}

}  // namespace workflow::detail
