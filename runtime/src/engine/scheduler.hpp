// The scheduler thread: claims runs that are due (new, woken, retrying, or left behind by a dead
// worker) for this engine's workers, and renews this engine's leases.
//
// It sleeps until the earliest known due time, a local hint, a commit of another process (passed
// on by the engine's change watcher), or the next heartbeat or owner scan.
#pragma once

#include "util/time.hpp"

#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace workflow::detail {

class Engine;

class Scheduler {
 public:
  explicit Scheduler(Engine& engine);
  ~Scheduler();

  /// Some run becomes due at `ready_at`.
  void hint(TimePoint ready_at);
  /// Workers have room again.
  void capacity_available();
  void stop();

 private:
  void loop();
  /// Claims due runs and hands them to the workers; returns how many.
  std::size_t claim_due(TimePoint now, bool scan_owners);
  void release_orphans();

  Engine& engine_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<TimePoint> next_due_;
  bool claim_requested_ = true;  // claim at start-up: runs left by earlier processes
  bool stopping_ = false;
  std::vector<std::string> dead_owners_;
  std::set<std::string> suspected_orphans_;
  std::thread thread_;
};

}  // namespace workflow::detail
