// The worker's retention thread (docs/retention.md): every Config::retention_interval it deletes
// the runs that ended more than Config::retention ago, in the pruner's paced batches. Every worker
// of a journal runs one; on PostgreSQL they take different runs, on SQLite one after the other.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string_view>
#include <thread>

namespace workflow::detail {

class Engine;

/// 30 days: what Config::retention is when neither the code nor WORKFLOW_RETENTION sets it.
inline constexpr std::chrono::seconds kDefaultRetention = std::chrono::days(30);

/// A retention setting as written (`30d`, `12h`, `1d12h`, `forever`, `0`); zero keeps runs
/// forever. Throws DurationTextError.
std::chrono::seconds parse_retention(std::string_view text);

class RetentionThread {
 public:
  /// Starts the thread; `engine` outlives it.
  explicit RetentionThread(Engine& engine);
  /// Stops it: a batch in progress commits, no other begins.
  ~RetentionThread();
  RetentionThread(const RetentionThread&) = delete;
  RetentionThread& operator=(const RetentionThread&) = delete;

 private:
  void loop();
  bool stopping();

  Engine& engine_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace workflow::detail
