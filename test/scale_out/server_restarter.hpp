// Crash-restarts of the test's PostgreSQL server (`pg_ctl -m immediate -w restart`: no shutdown
// checkpoint, crash recovery on start), in the background so that workers keep being killed
// meanwhile. Each restart's window, from the command's start to the server accepting connections
// again, is kept on CLOCK_MONOTONIC.
#pragma once

#include "step_log.hpp"

#include <atomic>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace scale_out {

class ServerRestarter {
 public:
  /// `pg_ctl`: the fixture's pg_ctl helper; its output is appended to `output`.
  ServerRestarter(std::filesystem::path pg_ctl, std::filesystem::path output);
  ~ServerRestarter();  // waits for a restart in progress

  /// Starts a restart unless one is in progress; returns whether it started one.
  bool begin();
  bool in_progress() const { return busy_; }
  /// Waits for a restart in progress to end.
  void wait();

  int completed() const;
  int failed() const;
  std::vector<Window> outages() const;

 private:
  void restart();

  std::filesystem::path pg_ctl_, output_;
  std::atomic<bool> busy_{false};
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<Window> outages_;
  int failed_ = 0;
};

}  // namespace scale_out
