// W13: retention on a journal of many finished runs (retention_bench.hpp).
#include "retention_bench.hpp"

#include "store/journal_store.hpp"

#include <workflow/inspect.hpp>
#include <workflow/retention.hpp>

#include <algorithm>
#include <cstdlib>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

namespace bench {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Writes `count` copies of `model` (a finished run and its events), IDs `prefix-<n>`, ended at
// `ended`, 5,000 per transaction.
void write_copies(workflow::detail::JournalStore& store, const workflow::detail::RunRecord& model,
                  const std::vector<workflow::detail::Event>& events, const std::string& prefix, std::int64_t count,
                  workflow::TimePoint ended) {
  constexpr std::int64_t kPerTransaction = 5000;
  for (std::int64_t first = 0; first < count; first += kPerTransaction) {
    auto transaction = store.write();
    for (std::int64_t n = first; n < std::min(count, first + kPerTransaction); ++n) {
      auto run = model;
      run.id = prefix + "-" + std::to_string(n);
      run.created_at = run.updated_at = ended - std::chrono::milliseconds(5);
      run.started_at = ended - std::chrono::milliseconds(4);
      run.completed_at = ended + std::chrono::microseconds(n);
      transaction->insert_run(run);
      for (auto event : events) {
        event.run_id = run.id;
        transaction->append_event(event);
      }
    }
    transaction->commit();
  }
}

struct Latencies {
  double p50 = 0, p99 = 0, max = 0;
  int count = 0;
};

Latencies summarize(std::vector<double> samples) {
  if (samples.empty()) return {};
  std::sort(samples.begin(), samples.end());
  auto at = [&](double q) { return samples[std::min(samples.size() - 1, static_cast<std::size_t>(q * samples.size()))]; };
  return {at(0.5), at(0.99), samples.back(), static_cast<int>(samples.size())};
}

}  // namespace

RetentionFigures retention_at_scale(BenchJournals& journals, std::int64_t runs, double (*one_step_run_ms)()) {
  RetentionFigures figures;
  figures.runs = runs;
  // The engine's own retention (30 days) would prune the same runs after its first minute: the
  // figures are those of prune_runs alone.
  ::setenv("WORKFLOW_RETENTION", "forever", 1);
  journals.use_fresh("w13");
  one_step_run_ms();  // the model every copy is made of
  auto store = workflow::detail::open_journal_store(journals.current().database, journals.current().store);
  auto model_id = workflow::list_runs({}).runs.at(0).id;
  auto model = store->read()->find_run(model_id).value();
  auto events = store->read()->events(model_id);
  auto ended = workflow::detail::wall_now() - std::chrono::hours(24 * 40);

  auto start = Clock::now();
  write_copies(*store, model, events, "old", runs, ended);
  figures.fill_s = seconds_since(start);
  figures.bytes_full = workflow::journal_usage().bytes;
  std::printf("W13 %lld finished runs written in %.1f s: journal %.1f MB\n", static_cast<long long>(runs),
              figures.fill_s, figures.bytes_full / 1e6);
  std::fflush(stdout);

  std::vector<double> alone;
  for (int i = 0; i < 200; ++i) alone.push_back(one_step_run_ms());
  auto quiet = summarize(alone);
  figures.w3_p50_ms = quiet.p50;
  figures.w3_p99_ms = quiet.p99;
  figures.w3_max_ms = quiet.max;
  figures.w3_runs = quiet.count;

  std::atomic<bool> pruning{true};
  workflow::PruneReport report;
  start = Clock::now();
  std::thread pruner([&] {
    workflow::PruneOptions options;
    options.finished_before = workflow::detail::wall_now() - std::chrono::hours(24 * 30);
    report = workflow::prune_runs(options);
    pruning = false;
  });
  std::vector<double> during;
  while (pruning) during.push_back(one_step_run_ms());
  pruner.join();
  figures.prune_s = seconds_since(start);
  figures.pruned = report.runs;
  figures.batches = report.batches;
  auto busy = summarize(during);
  figures.w3_pruning_p50_ms = busy.p50;
  figures.w3_pruning_p99_ms = busy.p99;
  figures.w3_pruning_max_ms = busy.max;
  figures.w3_pruning_runs = busy.count;
  auto usage = workflow::journal_usage();
  figures.bytes_pruned = usage.bytes;
  figures.free_bytes_pruned = usage.free_bytes;

  figures.refilled = runs / 10;
  write_copies(*store, model, events, "new", figures.refilled, ended);
  usage = workflow::journal_usage();
  figures.bytes_refilled = usage.bytes;
  figures.free_bytes_refilled = usage.free_bytes;
  return figures;
}

}  // namespace bench
