// The commits of finished parallel_map items still waiting in the group-commit queue.
//
// An item's results are queued when the item ends, so that its thread can take the next item
// while the writer batches them with other items' results. The parallel_map call returns only
// once every queued commit is durable, and stops starting items once one was refused (the run was
// cancelled or paused, or this worker lost it).
//
// Thread safety: all members may be called from any thread.
#pragma once

#include "engine/suspension.hpp"

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>

namespace workflow::detail {

class PendingCommits {
 public:
  /// One more commit is queued.
  void add() {
    std::lock_guard lock(mutex_);
    ++pending_;
  }
  /// A queued commit ended: durable, or refused for `refusal`.
  void done(std::optional<Interruption::Reason> refusal) {
    std::lock_guard lock(mutex_);
    if (refusal && !refusal_) {
      refusal_ = refusal;
      refused_ = true;
    }
    --pending_;
    // Under the lock: wait() may return, and its caller destroy this object, once it sees zero.
    all_done_.notify_all();
  }
  /// Some commit was refused: starting more items would be in vain.
  bool refused() const { return refused_.load(); }
  /// Waits until every queued commit ended; the first refusal, if any.
  std::optional<Interruption::Reason> wait() {
    std::unique_lock lock(mutex_);
    all_done_.wait(lock, [this] { return pending_ == 0; });
    return refusal_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable all_done_;
  std::size_t pending_ = 0;
  std::optional<Interruption::Reason> refusal_;
  std::atomic<bool> refused_{false};
};

}  // namespace workflow::detail
