// Group commit: every write of the engine goes through one writer thread that runs all writes
// queued meanwhile in a single transaction, so one fsync serves many runs.
//
// A write is a function over a StoreTransaction. One that throws is left out and its caller gets
// the exception; the rest of the batch commits (the batch is run again without it, so writes
// must be safe to run more than once).
// A batch is durable (fsync) if any write in it asks to be; a lazy write becomes durable with the
// next durable batch, and is visible to other processes at once. A batch of lazy writes only waits
// up to kLazyDelay for a durable write to share its commit with, so that e.g. a run's "running"
// status costs no commit of its own when its first step finishes quickly.
//
// Completion callbacks of large batches run on a separate notifier thread: waking the waiting
// workers then overlaps with the next batch instead of delaying it.
//
// What a write notes for the log (commit_log.hpp) is logged on the writer thread once its batch
// has committed and its caller was told, before the next batch: the log follows the order of the
// commits without adding to anyone's wait.
#pragma once

#include "log/log_record.hpp"
#include "store/journal_store.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace workflow::detail {

class WriteQueue {
 public:
  static constexpr std::chrono::microseconds kLazyDelay{1000};
  static constexpr std::size_t kNotifyInline = 4;
  /// A batch that keeps losing conflicts fails once its pause would exceed this.
  static constexpr std::chrono::milliseconds kMaxConflictPause{2000};
  using Write = std::function<void(StoreTransaction&)>;
  enum class Durability { durable, lazy };

  /// Told of each batch that committed: how many writes it carried and how long its
  /// transaction took, from begin to commit (including runs again after conflicts).
  using CommitObserver = std::function<void(std::size_t writes, std::chrono::steady_clock::duration took)>;
  /// `on_commit` (may be empty) runs on the writer thread after each batch that committed, as
  /// does `observe` (may be empty).
  WriteQueue(JournalStore& store, std::function<void()> on_commit, CommitObserver observe = {});
  /// Commits what is queued, then stops the writer.
  ~WriteQueue();

  /// Runs `write` in the next batch and returns once that batch has committed; rethrows what
  /// `write` threw, or the commit's StorageError.
  void run(Write write, Durability durability = Durability::durable);
  /// Queues `write` without waiting; `done` (may be empty) receives its error or null.
  void post(Write write, Durability durability, std::function<void(std::exception_ptr)> done);

 private:
  struct Item {
    Write write;
    Durability durability;
    std::function<void(std::exception_ptr)> done;
    /// What the write noted for the log in its last run.
    std::vector<LogRecord> notes;
  };
  struct Completion {
    std::function<void(std::exception_ptr)> done;
    std::exception_ptr error;
  };
  void writer_loop();
  void notifier_loop();
  void commit_batch(std::deque<Item>& batch);

  JournalStore& store_;
  std::function<void()> on_commit_;
  CommitObserver observe_;
  std::mutex mutex_;
  std::condition_variable work_available_;
  std::deque<Item> pending_;
  std::size_t durable_pending_ = 0;
  bool stopping_ = false;
  std::mutex completions_mutex_;
  std::condition_variable completions_available_;
  std::vector<Completion> completions_;
  bool writer_done_ = false;
  std::thread notifier_;
  std::thread writer_;
};

}  // namespace workflow::detail
