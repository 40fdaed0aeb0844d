// The worker's Prometheus metrics, through Debian's prometheus-cpp (docs/metrics.md).
#include "metrics/worker_metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <sstream>

namespace workflow::detail {
namespace {

double seconds(std::chrono::steady_clock::duration took) { return std::chrono::duration<double>(took).count(); }

// Step attempts and replays: from a millisecond to ten minutes.
const prometheus::Histogram::BucketBoundaries& duration_buckets() {
  static const prometheus::Histogram::BucketBoundaries buckets{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                               1,     2.5,   5,    10,    30,   60,  300, 600};
  return buckets;
}

// Commits: from 100 µs to 2.5 s.
const prometheus::Histogram::BucketBoundaries& commit_buckets() {
  static const prometheus::Histogram::BucketBoundaries buckets{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                               0.01,   0.025,   0.05,   0.1,   0.25,   0.5,
                                                               1,      2.5};
  return buckets;
}

const prometheus::Histogram::BucketBoundaries& batch_buckets() {
  static const prometheus::Histogram::BucketBoundaries buckets{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096};
  return buckets;
}

}  // namespace

struct WorkerMetrics::Families {
  explicit Families(prometheus::Registry& registry)
      : runs_started(prometheus::BuildCounter()
                         .Name("workflow_runs_started_total")
                         .Help("Runs this worker began executing for the first time, by workflow")
                         .Register(registry)),
        runs_finished(prometheus::BuildCounter()
                          .Name("workflow_runs_finished_total")
                          .Help("Runs an execution on this worker ended, by workflow and status (completed, failed)")
                          .Register(registry)),
        step_duration(prometheus::BuildHistogram()
                          .Name("workflow_step_duration_seconds")
                          .Help("Step attempts that ended on this worker, by step and outcome (completed, "
                                "retrying, failed), and how long each took")
                          .Register(registry)),
        step_retries(prometheus::BuildCounter()
                         .Name("workflow_step_retries_total")
                         .Help("Step attempts that failed and will be tried again, by step")
                         .Register(registry)),
        abandoned_attempts(prometheus::BuildCounter()
                               .Name("workflow_step_attempts_abandoned_total")
                               .Help("Step attempts still running after their timeout and stop grace, left "
                                     "running on their own thread, by step")
                               .Register(registry)),
        lease_takeovers(prometheus::BuildCounter()
                            .Name("workflow_lease_takeovers_total")
                            .Help("Runs this worker took over from a holder whose lease ran out or who died")
                            .Register(registry)
                            .Add({})),
        commit_duration(prometheus::BuildHistogram()
                            .Name("workflow_journal_commit_duration_seconds")
                            .Help("Group commits of this worker to the journal, and how long each took")
                            .Register(registry)
                            .Add({}, commit_buckets())),
        commit_writes(prometheus::BuildHistogram()
                          .Name("workflow_journal_commit_writes")
                          .Help("How many writes each group commit of this worker carried")
                          .Register(registry)
                          .Add({}, batch_buckets())),
        replay_duration(prometheus::BuildHistogram()
                            .Name("workflow_replay_duration_seconds")
                            .Help("How long executions of resumed runs took to replay their journal, by workflow")
                            .Register(registry)) {}

  prometheus::Family<prometheus::Counter>& runs_started;
  prometheus::Family<prometheus::Counter>& runs_finished;
  prometheus::Family<prometheus::Histogram>& step_duration;
  prometheus::Family<prometheus::Counter>& step_retries;
  prometheus::Family<prometheus::Counter>& abandoned_attempts;
  prometheus::Counter& lease_takeovers;
  prometheus::Histogram& commit_duration;
  prometheus::Histogram& commit_writes;
  prometheus::Family<prometheus::Histogram>& replay_duration;
};

WorkerMetrics::WorkerMetrics()
    : registry_(std::make_shared<prometheus::Registry>()), families_(std::make_unique<Families>(*registry_)) {}

WorkerMetrics::~WorkerMetrics() = default;

void WorkerMetrics::run_started(const std::string& workflow) {
  families_->runs_started.Add({{"workflow", workflow}}).Increment();
}

void WorkerMetrics::run_finished(const std::string& workflow, RunStatus status) {
  families_->runs_finished.Add({{"workflow", workflow}, {"status", std::string(to_string(status))}}).Increment();
}

void WorkerMetrics::step_attempt(const std::string& step, std::string_view outcome,
                                 std::chrono::steady_clock::duration took, bool abandoned) {
  families_->step_duration.Add({{"step", step}, {"outcome", std::string(outcome)}}, duration_buckets())
      .Observe(seconds(took));
  if (outcome == "retrying") families_->step_retries.Add({{"step", step}}).Increment();
  if (abandoned) families_->abandoned_attempts.Add({{"step", step}}).Increment();
}

void WorkerMetrics::lease_takeovers(std::size_t count) {
  if (count > 0) families_->lease_takeovers.Increment(static_cast<double>(count));
}

void WorkerMetrics::commit(std::size_t writes, std::chrono::steady_clock::duration took) {
  families_->commit_duration.Observe(seconds(took));
  families_->commit_writes.Observe(static_cast<double>(writes));
}

void WorkerMetrics::replay(const std::string& workflow, std::chrono::steady_clock::duration took) {
  families_->replay_duration.Add({{"workflow", workflow}}, duration_buckets()).Observe(seconds(took));
}

std::shared_ptr<prometheus::Registry> WorkerMetrics::registry() const { return registry_; }

std::string WorkerMetrics::text() const {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, registry_->Collect());
  return out.str();
}

}  // namespace workflow::detail
