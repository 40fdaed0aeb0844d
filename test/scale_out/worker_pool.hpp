// The worker processes of the scale-out test: a fixed number of slots, each running one worker
// process at a time, which the driver kills (SIGKILL), stalls (SIGSTOP/SIGCONT) and starts again.
// Every process's life is kept, on CLOCK_MONOTONIC, for the step log's analysis.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace scale_out {

/// One worker process, from its start to its end.
struct WorkerLife {
  int slot = 0;
  std::int64_t started_ns = 0;
  /// When it ended (for a kill: just before the signal, after which it ran no code); empty while
  /// it runs.
  std::optional<std::int64_t> ended_ns;
  bool killed = false;
  /// The wait status of an exit the driver did not cause (nothing if killed, stopped by
  /// terminate() or still running).
  std::optional<int> unexpected_status;
  /// Stop/continue windows (SIGSTOP .. SIGCONT), on CLOCK_MONOTONIC.
  std::vector<std::pair<std::int64_t, std::int64_t>> stalls;
};

class WorkerPool {
 public:
  /// `command`: the worker executable and its arguments. Each slot's output is appended to
  /// `output_dir/worker-<slot>.log`; the workers run in `output_dir` (where a crash leaves its core).
  WorkerPool(std::vector<std::string> command, std::filesystem::path output_dir, int slots);
  ~WorkerPool();  // SIGKILLs whatever still runs (a failed test); terminate() is the clean end

  int slots() const { return static_cast<int>(pids_.size()); }
  /// Starts a worker in `slot`, which must be empty.
  void spawn(int slot);
  bool occupied(int slot) const { return pids_[slot] != 0; }
  /// The process in `slot`, 0 if empty.
  pid_t pid(int slot) const { return pids_[slot]; }
  /// SIGKILLs the worker of `slot` and reaps it; the slot is empty afterwards.
  void kill(int slot);
  /// SIGSTOPs / SIGCONTs the worker of `slot`.
  void stall(int slot);
  void resume(int slot);
  /// Reaps workers that ended without being killed; returns how many. Their slots are empty.
  int reap_unexpected_exits();
  /// SIGTERMs every worker and waits up to `limit` for all (then SIGKILLs the rest). Returns one
  /// line for each worker that did not stop in time or exited with a failure.
  std::vector<std::string> terminate(std::chrono::seconds limit);

  const std::map<pid_t, WorkerLife>& lives() const { return lives_; }
  /// The last `lines` lines a worker wrote (its part of its slot's output, which begins with
  /// `--- worker <pid> starts`).
  std::string output_tail(pid_t pid, std::size_t lines) const;
  int kills() const { return kills_; }
  int stalls() const { return stalls_; }
  int unexpected_exits() const { return unexpected_exits_; }
  int spawns() const { return static_cast<int>(lives_.size()); }

 private:
  void ended(int slot, std::int64_t at, bool killed, std::optional<int> status);

  std::vector<std::string> command_;
  std::filesystem::path output_dir_;
  std::vector<pid_t> pids_;
  std::map<pid_t, WorkerLife> lives_;
  int kills_ = 0;
  int stalls_ = 0;
  int unexpected_exits_ = 0;
};

}  // namespace scale_out
