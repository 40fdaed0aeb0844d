// W7: worker processes sharing one PostgreSQL journal, as machines would.
#pragma once

#include "bench_journal.hpp"

#include <vector>

namespace bench {

struct WorkerScaling {
  unsigned workers = 0;
  double steps_per_s = 0;
};

/// For each count in `worker_counts`: starts that many worker processes (`self --worker <url>`)
/// on a fresh journal, starts 2,000 runs of `sequential_steps(10)` from this process (which
/// executes none) and measures steps/s until all have completed.
std::vector<WorkerScaling> multi_worker_scaling(BenchJournals& journals, const char* self,
                                                const std::vector<unsigned>& worker_counts);

/// The worker process of W7: executes runs of `url` until SIGTERM; prints "ready" once its
/// engine has registered its workflows.
int run_bench_worker(const char* url);

}  // namespace bench
