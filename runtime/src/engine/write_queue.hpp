// Group commit: every write of the engine goes through one writer thread that runs all writes
// queued meanwhile in a single transaction, so one fsync serves many runs.
//
// A write is a function over a StoreTransaction. Each runs under its own savepoint: one that
// throws is rolled back alone and its caller gets the exception; the rest of the batch commits.
// A batch is durable (fsync) if any write in it asks to be; a lazy write becomes durable with the
// next durable batch, and is visible to other processes at once.
#pragma once

#include "store/journal_store.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace workflow::detail {

class WriteQueue {
 public:
  using Write = std::function<void(StoreTransaction&)>;
  enum class Durability { durable, lazy };

  explicit WriteQueue(JournalStore& store);
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
  };
  void writer_loop();
  void commit_batch(std::deque<Item>& batch);

  JournalStore& store_;
  std::mutex mutex_;
  std::condition_variable work_available_;
  std::deque<Item> pending_;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace workflow::detail
