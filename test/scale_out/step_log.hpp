// The scale-out test's step log and what it shows: which step bodies ran, which ran again, and
// which ran in two live workers at once.
//
// Each worker appends `<pid> start|end <run> <call> <ns> <attempt> <recoveries>` around every step
// body. A body whose worker was killed before its `end` lasted until the kill (the driver notes
// the instant just before SIGKILL; the process ran nothing after it). Two executions of one call
// by different workers whose intervals intersect therefore overlapped while both workers lived.
// That is allowed only when the first worker's lease had run out: it could not renew it because
// it was stalled (SIGSTOP) or the database was down (a server restart) shortly before the second
// one started. Overlaps with neither are unexplained, and a bug.
#pragma once

#include "worker_pool.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace scale_out {

/// A time window on CLOCK_MONOTONIC.
struct Window {
  std::int64_t begin_ns = 0;
  std::int64_t end_ns = 0;
};

/// One execution of a step body, as the log shows it.
struct Execution {
  long pid = 0;
  std::int64_t start_ns = 0;
  /// The `end` line's time, else the worker's end (its kill).
  std::int64_t end_ns = 0;
  bool finished = false;
  int attempt = 0;
  int recoveries = 0;
};

struct StepLogReport {
  /// Distinct (run, call) pairs with at least one execution, and with at least one finished one.
  int calls = 0;
  int calls_finished = 0;
  /// Step bodies started; those that ran again for a call that had run before.
  int executions = 0;
  int re_executions = 0;
  /// ... of which after the previous execution's worker was killed, or while it still lived (its
  /// lease taken over after a stall or a database restart, its result lost with the connection).
  int re_executions_after_kill = 0;
  int re_executions_worker_alive = 0;
  /// Bodies cut short by a kill; bodies without `end` in a worker that was not killed (a bug).
  int cut_by_kill = 0;
  int unfinished_in_live_worker = 0;
  /// Pairs of executions of one call by two workers that overlapped in time (both alive).
  int overlaps = 0;
  int overlaps_explained_by_lease = 0;
  /// ... of which the first worker had been stalled (else the server had restarted).
  int overlaps_after_stall = 0;
  /// Runs whose steps ran after a takeover (the run's recovery count above 0), and the most
  /// takeovers of one run.
  int runs_taken_over = 0;
  int most_takeovers = 0;
  /// One line per unexplained overlap or unfinished body, for the failure message.
  std::vector<std::string> problems;
  /// Executions per (run, call), in start order.
  std::map<std::pair<std::string, int>, std::vector<Execution>> by_call;
};

/// Follows the log while the workers write it, to tell which worker is inside a step body now
/// (the driver stalls such a worker, so that another one takes the run over mid-step).
class StepLogTail {
 public:
  explicit StepLogTail(std::filesystem::path path) : path_(std::move(path)) {}
  /// Reads the lines appended since the last call.
  void poll();
  /// The workers that started a body of `call` and have not ended it (or were killed inside it).
  std::vector<long> workers_inside(int call) const;

 private:
  std::filesystem::path path_;
  std::uintmax_t offset_ = 0;
  std::string partial_;
  /// (pid, call) -> bodies started and not ended.
  std::map<std::pair<long, int>, int> open_;
};

/// Reads the log at `path` and relates it to the workers' lives and the database's outages.
/// `lease`: the workers' lease; an overlap is explained by a stall of the first worker, or an
/// outage, within two leases before it began and the second execution's start.
StepLogReport analyse_step_log(const std::filesystem::path& path, const std::map<pid_t, WorkerLife>& lives,
                               const std::vector<Window>& outages, std::chrono::milliseconds lease);

}  // namespace scale_out
