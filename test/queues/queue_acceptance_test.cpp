// Issue 15's acceptance test of queues, with real worker processes sharing one journal (SQLite,
// or PostgreSQL when WORKFLOW_TEST_POSTGRES_URL_FILE names the fixture's server): 500 runs
// through a queue with global concurrency 3 over 3 workers never hold more than 3 slots at once;
// per-key, per-worker and rate limits likewise; priorities order the dequeues. Everything is
// checked from the journal's dequeue and end times (test/runtime/queue_timeline.hpp), not by
// timing.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <random>
#include <set>

#include "queue_timeline.hpp"
#include "queue_workload.hpp"
#include "worker_pool.hpp"

namespace {

using namespace std::chrono_literals;
using namespace workflow::test_support;

constexpr int kWorkers = 3;

struct Queued {
  std::vector<std::string> ids;
  std::map<std::string, int> pid_of;  // the process that executed each run
};

std::vector<std::string> start_into(const std::string& queue, int count,
                                    const std::function<workflow::StartOptions(int)>& options_of) {
  std::vector<std::string> ids;
  for (int i = 0; i < count; ++i) {
    auto options = options_of(i);
    options.queue = queue;
    ids.push_back(workflow::start(options, queue_acceptance::queued_job, i).run_id());
  }
  return ids;
}

std::map<std::string, int> await_all(const std::vector<std::string>& ids) {
  std::map<std::string, int> pid_of;
  for (const auto& id : ids) pid_of[id] = workflow::Run<int>(id).return_value(240s);
  return pid_of;
}

TEST(QueueAcceptanceTest, LimitsHoldAcrossWorkerProcesses) {
  queue_acceptance::register_workload();
  std::string pattern = (std::filesystem::temp_directory_path() / "workflow-queues-XXXXXX").string();
  std::filesystem::path dir = mkdtemp(pattern.data());
  std::string database = (dir / "journal.db").string();
  if (const char* url_file = std::getenv("WORKFLOW_TEST_POSTGRES_URL_FILE"); url_file && *url_file) {
    std::ifstream in(url_file);
    std::string url;
    std::getline(in, url);
    ASSERT_FALSE(url.empty()) << "no server URL in " << url_file << " (did the fixture `postgres` start?)";
    database = url + "?schema=queues_" + std::to_string(getpid());
  }
  std::string deployment = "queues-" + std::to_string(getpid());
  workflow::Config config;
  config.database = database;
  config.deployment_id = deployment;
  config.execute_runs = false;
  workflow::configure(config);

  workflow::declare_queue("global", {.concurrency = 3});
  workflow::declare_queue("per-key", {.partition_concurrency = 1});
  workflow::declare_queue("per-worker", {.worker_concurrency = 1});
  workflow::declare_queue("rated", {.rate_limit = {5, 400ms}});
  workflow::declare_queue("ordered", {.concurrency = 1});

  // Every run waits before any worker starts, so the order test sees all priorities at once.
  auto global = start_into("global", 500, [](int) { return workflow::StartOptions{}; });
  auto per_key = start_into("per-key", 60, [](int i) {
    return workflow::StartOptions{.partition_key = "customer-" + std::to_string(i % 3)};
  });
  auto per_worker = start_into("per-worker", 30, [](int) { return workflow::StartOptions{}; });
  auto rated = start_into("rated", 20, [](int) { return workflow::StartOptions{}; });
  std::mt19937 random{42};
  auto ordered = start_into("ordered", 40, [&](int) { return workflow::StartOptions{.priority = int(random() % 5)}; });

  scale_out::WorkerPool pool({QUEUE_WORKER_PATH, database, deployment}, dir, kWorkers);
  for (int slot = 0; slot < kWorkers; ++slot) pool.spawn(slot);
  auto global_pids = await_all(global);
  auto per_key_pids = await_all(per_key);
  auto per_worker_pids = await_all(per_worker);
  await_all(rated);
  await_all(ordered);
  auto failed = pool.terminate(60s);
  EXPECT_TRUE(failed.empty()) << failed.front();

  auto& store = workflow::detail::Engine::instance()->store();
  // Global concurrency 3 across 3 processes, each able to take 8 at once.
  auto spans = queue_spans(store, global);
  EXPECT_LE(max_overlap(spans), 3);
  EXPECT_EQ(max_overlap(spans), 3) << "500 runs should fill the 3 slots at some point";
  std::set<int> processes;
  for (auto& [id, pid] : global_pids) processes.insert(pid);
  EXPECT_EQ(processes.size(), static_cast<std::size_t>(kWorkers)) << "the runs should spread over every worker";

  // One run per customer at a time, customers side by side.
  auto key_spans = queue_spans(store, per_key);
  for (const auto& [key, most] : max_overlap_by_key(key_spans)) EXPECT_EQ(most, 1) << key;
  EXPECT_GT(max_overlap(key_spans), 1);

  // One run per worker process at a time.
  auto worker_spans = queue_spans(store, per_worker);
  std::map<int, std::vector<QueueSpan>> by_process;
  for (auto& span : worker_spans) by_process[per_worker_pids[span.run_id]].push_back(span);
  for (const auto& [pid, group] : by_process) EXPECT_EQ(max_overlap(group), 1) << "worker " << pid;
  EXPECT_LE(max_overlap(worker_spans), kWorkers);

  // At most 5 dequeues in any 400 ms: 20 runs take at least 3 periods.
  auto rated_spans = queue_spans(store, rated);
  EXPECT_EQ(max_dequeues_per(rated_spans, 400ms), 5);
  EXPECT_GE(rated_spans.back().dequeued_at - rated_spans.front().dequeued_at, 1200ms);

  // Lower priority first, then creation order, whichever worker dequeued.
  EXPECT_TRUE(dequeued_in_priority_order(queue_spans(store, ordered)));

  workflow::shutdown();
  std::filesystem::remove_all(dir);
}

}  // namespace
