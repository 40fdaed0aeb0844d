// What one worker process measures for Prometheus (docs/metrics.md): runs it started and ended,
// step attempts and their durations, retries, abandoned attempts, lease takeovers, the journal's
// commits and batch sizes, and replay time. Collected always (cheap: counters and histograms in
// memory); exposed on an HTTP endpoint when Config::metrics_address is set.
//
// Thread safety: every member may be called from any thread.
#pragma once

#include <workflow/run_status.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace prometheus {
class Registry;
}

namespace workflow::detail {

class WorkerMetrics {
 public:
  WorkerMetrics();
  ~WorkerMetrics();
  WorkerMetrics(const WorkerMetrics&) = delete;
  WorkerMetrics& operator=(const WorkerMetrics&) = delete;

  /// A run of `workflow` began executing for the first time here.
  void run_started(const std::string& workflow);
  /// An execution here ended the run in `status` (completed or failed).
  void run_finished(const std::string& workflow, RunStatus status);
  /// A step attempt ended: `outcome` is `completed`, `retrying` or `failed`.
  void step_attempt(const std::string& step, std::string_view outcome, std::chrono::steady_clock::duration took,
                    bool abandoned);
  /// Runs claimed from another holder whose lease ran out or who died.
  void lease_takeovers(std::size_t count);
  /// A group commit of `writes` writes committed in `took`.
  void commit(std::size_t writes, std::chrono::steady_clock::duration took);
  /// An execution of a resumed run of `workflow` replayed its journal in `took`.
  void replay(const std::string& workflow, std::chrono::steady_clock::duration took);

  /// The registry the exposer (or a test) collects.
  std::shared_ptr<prometheus::Registry> registry() const;
  /// Everything, in Prometheus' text exposition format.
  std::string text() const;

 private:
  struct Families;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<Families> families_;
};

}  // namespace workflow::detail
