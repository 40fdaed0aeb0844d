// The line a step attempt with a timeout crosses to reach the engine. Such an attempt runs on a
// thread of its own, which the engine does not join: when the attempt overruns its timeout, its
// worker abandons it and goes on, and the engine may shut down while the step body still runs.
// Every use of the engine by the attempt's thread (queuing a stream chunk) passes through the
// gate, and abandon() shuts it: a use in progress finishes first, no use starts afterwards. So the
// attempt's last use of the engine happens before its worker goes on, and the engine joins its
// workers before it is destroyed; the thread itself may outlive the engine, using nothing of it.
//
// Thread safety: every member may be called from any thread.
#pragma once

#include <atomic>
#include <mutex>

namespace workflow::detail {

class AttemptGate {
 public:
  /// Runs `use` (which may use the engine) unless the attempt was abandoned; returns whether it
  /// ran. `use` must not wait for other threads: abandon() waits for it.
  template <class Use>
  bool unless_abandoned(Use&& use) {
    std::lock_guard lock(mutex_);
    if (abandoned_.load()) return false;
    use();
    return true;
  }
  /// Shuts the gate, after the use in progress if there is one.
  void abandon() {
    std::lock_guard lock(mutex_);
    abandoned_.store(true);
  }
  /// A hint for skipping work early; only unless_abandoned() decides.
  bool abandoned() const { return abandoned_.load(); }

 private:
  std::mutex mutex_;
  std::atomic<bool> abandoned_{false};
};

}  // namespace workflow::detail
