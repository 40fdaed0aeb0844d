// Queues (docs/queues.md): each limit, priorities, deduplication and positions, checked from the
// journal's dequeue and end times (queue_timeline.hpp), in one process. The same limits across
// worker processes: test/runtime/queue_acceptance_test.cpp.
#include <mutex>

#include "queue_timeline.hpp"
#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;
using workflow::test_support::max_dequeues_per;
using workflow::test_support::max_overlap;
using workflow::test_support::max_overlap_by_key;
using workflow::test_support::queue_spans;

int slow_echo(int x) {
  // Long enough that runs of one queue would overlap without a limit.
  std::this_thread::sleep_for(15ms);
  return x;
}
REGISTER_STEP(slow_echo);

int queued_work(int x) {
  WORKFLOW_ENTRY(queued_work);
  return CALL_STEP(slow_echo, x);
}
REGISTER_WORKFLOW(queued_work);

int sleeping_work(int x) {
  WORKFLOW_ENTRY(sleeping_work);
  workflow::sleep(200ms);
  return x;
}
REGISTER_WORKFLOW(sleeping_work);

// Step executions of per_worker_work, as intervals of this process's steady clock.
std::mutex g_steps_mutex;
std::vector<std::pair<std::chrono::steady_clock::time_point, std::chrono::steady_clock::time_point>> g_steps;

int timed_step(int x) {
  auto begin = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(30ms);
  std::lock_guard lock(g_steps_mutex);
  g_steps.emplace_back(begin, std::chrono::steady_clock::now());
  return x;
}
REGISTER_STEP(timed_step);

int per_worker_work(int x) {
  WORKFLOW_ENTRY(per_worker_work);
  CALL_STEP(timed_step, x);
  workflow::sleep(10ms);  // releases the run: another may be dequeued meanwhile
  return CALL_STEP(timed_step, x);
}
REGISTER_WORKFLOW(per_worker_work);

class QueueTest : public workflow::test_support::EngineTest {
 protected:
  workflow::detail::JournalStore& store() { return workflow::detail::Engine::instance()->store(); }

  /// Starts `count` runs into `queue` (the i-th with `options_of(i)`), waits for all, returns their IDs.
  template <class OptionsOf>
  std::vector<std::string> run_through(int count, OptionsOf options_of) {
    std::vector<workflow::Run<int>> runs;
    for (int i = 0; i < count; ++i) runs.push_back(workflow::start(options_of(i), queued_work, i));
    std::vector<std::string> ids;
    for (int i = 0; i < count; ++i) {
      EXPECT_EQ(runs[i].return_value(60s), i);
      ids.push_back(runs[i].run_id());
    }
    return ids;
  }

};

TEST_F(QueueTest, GlobalConcurrencyBoundsRunsHoldingASlot) {
  workflow::declare_queue("global", {.concurrency = 2});
  auto ids = run_through(24, [](int) { return workflow::StartOptions{.queue = "global"}; });
  auto spans = queue_spans(store(), ids);
  EXPECT_LE(max_overlap(spans), 2);
  EXPECT_EQ(max_overlap(spans), 2) << "8 workers and 24 runs: the limit, not the workers, should bound them";
}

TEST_F(QueueTest, WorkerConcurrencyBoundsOneProcess) {
  workflow::declare_queue("per-worker", {.worker_concurrency = 1});
  auto ids = run_through(12, [](int) { return workflow::StartOptions{.queue = "per-worker"}; });
  EXPECT_EQ(max_overlap(queue_spans(store(), ids)), 1);
}

TEST_F(QueueTest, AWokenRunWaitsForItsWorkersPerWorkerLimit) {
  // A run that sleeps is held by no worker, so the worker dequeues the next; when the sleeper
  // wakes while that one executes, it waits: one run of the queue executes here at a time.
  workflow::declare_queue("one-here", {.worker_concurrency = 1});
  g_steps.clear();
  std::vector<workflow::Run<int>> runs;
  for (int i = 0; i < 4; ++i) runs.push_back(workflow::start({.queue = "one-here"}, per_worker_work, i));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(runs[i].return_value(60s), i);
  std::lock_guard lock(g_steps_mutex);
  ASSERT_EQ(g_steps.size(), 8u);
  std::sort(g_steps.begin(), g_steps.end());
  for (std::size_t i = 1; i < g_steps.size(); ++i)
    EXPECT_GE(g_steps[i].first, g_steps[i - 1].second) << "two steps of the queue's runs overlapped in one worker";
}

TEST_F(QueueTest, PartitionConcurrencyBoundsEachKey) {
  workflow::declare_queue("by-customer", {.partition_concurrency = 1});
  auto ids = run_through(30, [](int i) {
    return workflow::StartOptions{.queue = "by-customer", .partition_key = "customer-" + std::to_string(i % 3)};
  });
  auto spans = queue_spans(store(), ids);
  for (const auto& [key, most] : max_overlap_by_key(spans)) EXPECT_EQ(most, 1) << key;
  EXPECT_GT(max_overlap(spans), 1) << "different keys should run side by side";
}

TEST_F(QueueTest, RateLimitBoundsDequeuesPerPeriod) {
  workflow::declare_queue("rated", {.rate_limit = {3, 300ms}});
  auto ids = run_through(10, [](int) { return workflow::StartOptions{.queue = "rated"}; });
  auto spans = queue_spans(store(), ids);
  EXPECT_EQ(max_dequeues_per(spans, 300ms), 3);
  // 10 runs at 3 per 300 ms: the last leaves at least 900 ms after the first.
  EXPECT_GE(spans.back().dequeued_at - spans.front().dequeued_at, 900ms);
}

TEST_F(QueueTest, LowerPriorityLeavesFirstThenCreationOrder) {
  workflow::declare_queue("ordered", {.concurrency = 1});
  start_idle_engine();
  std::vector<int> priorities = {5, 1, 3, 1, 0, 5, 2, 0};
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < priorities.size(); ++i)
    ids.push_back(workflow::start({.queue = "ordered", .priority = priorities[i]}, queued_work, int(i)).run_id());
  restart_engine();
  for (auto& id : ids) workflow::Run<int>(id).return_value(60s);
  auto spans = queue_spans(store(), ids);
  EXPECT_TRUE(workflow::test_support::dequeued_in_priority_order(spans));
  std::vector<std::string> order;
  for (auto& span : spans) order.push_back(span.run_id);
  EXPECT_EQ(order, (std::vector<std::string>{ids[4], ids[7], ids[1], ids[3], ids[6], ids[2], ids[0], ids[5]}));
}

TEST_F(QueueTest, WaitingRunsArePendingWithTheirPosition) {
  workflow::declare_queue("lined-up", {.concurrency = 1});
  start_idle_engine();
  auto late = workflow::start({.queue = "lined-up", .priority = 2}, queued_work, 1);
  auto urgent = workflow::start({.queue = "lined-up", .priority = 1}, queued_work, 2);
  auto later = workflow::start({.queue = "lined-up", .priority = 2}, queued_work, 3);
  EXPECT_EQ(late.status(), workflow::RunStatus::pending);
  auto transaction = store().read();
  EXPECT_EQ(transaction->queue_entry(urgent.run_id())->position, 1);
  EXPECT_EQ(transaction->queue_entry(late.run_id())->position, 2);
  EXPECT_EQ(transaction->queue_entry(later.run_id())->position, 3);
  EXPECT_FALSE(transaction->find_run(late.run_id())->ready_at) << "a waiting run is not due: older builds skip it";
  auto queues = workflow::list_queues();
  ASSERT_EQ(queues.size(), 1u);
  EXPECT_EQ(queues[0].name, "lined-up");
  EXPECT_EQ(queues[0].waiting, 3);
  EXPECT_EQ(queues[0].active, 0);
  EXPECT_EQ(queues[0].options.concurrency, 1);
}

TEST_F(QueueTest, ASlotIsHeldWhileTheRunSleeps) {
  workflow::declare_queue("sleepers", {.concurrency = 1});
  auto first = workflow::start({.queue = "sleepers"}, sleeping_work, 1);
  auto second = workflow::start({.queue = "sleepers"}, sleeping_work, 2);
  EXPECT_EQ(first.return_value(60s), 1);
  EXPECT_EQ(second.return_value(60s), 2);
  auto spans = queue_spans(store(), {first.run_id(), second.run_id()});
  EXPECT_EQ(max_overlap(spans), 1);
  EXPECT_GE(spans[1].dequeued_at, spans[0].ended_at);
}

TEST_F(QueueTest, DeduplicationReturnsTheUnfinishedRunThenFreesTheId) {
  workflow::declare_queue("dedup", {.concurrency = 1});
  start_idle_engine();
  auto first = workflow::start({.queue = "dedup", .deduplication_id = "order-7"}, queued_work, 1);
  auto again = workflow::start({.queue = "dedup", .deduplication_id = "order-7"}, queued_work, 2);
  EXPECT_EQ(again.run_id(), first.run_id());
  auto batch = workflow::start_batch({.queue = "dedup", .deduplication_id = "order-7"}, queued_work,
                                     std::vector<std::tuple<int>>{{3}, {4}});
  EXPECT_EQ(batch[0].run_id(), first.run_id());
  EXPECT_EQ(batch[1].run_id(), first.run_id());
  auto other = workflow::start({.queue = "dedup", .deduplication_id = "order-8"}, queued_work, 5);
  EXPECT_NE(other.run_id(), first.run_id());
  restart_engine();
  EXPECT_EQ(first.return_value(60s), 1);
  auto after = workflow::start({.queue = "dedup", .deduplication_id = "order-7"}, queued_work, 6);
  EXPECT_NE(after.run_id(), first.run_id()) << "the ID is free once its run ended";
  EXPECT_EQ(after.return_value(60s), 6);
}

TEST_F(QueueTest, CancellingAWaitingRunFreesItsDeduplicationId) {
  workflow::declare_queue("cancellable");
  start_idle_engine();
  auto first = workflow::start({.queue = "cancellable", .deduplication_id = "x"}, queued_work, 1);
  first.cancel();
  EXPECT_EQ(first.status(), workflow::RunStatus::cancelled);
  auto second = workflow::start({.queue = "cancellable", .deduplication_id = "x"}, queued_work, 2);
  EXPECT_NE(second.run_id(), first.run_id());
}

TEST_F(QueueTest, ResumingOrRestartingAWaitingRunLeavesItInTheQueue) {
  workflow::declare_queue("held", {.concurrency = 1});
  start_idle_engine();
  auto run = workflow::start({.queue = "held"}, queued_work, 1);
  run.pause();
  run.resume();
  run.restart();
  auto transaction = store().read();
  EXPECT_EQ(transaction->find_run(run.run_id())->status, workflow::RunStatus::pending);
  EXPECT_FALSE(transaction->find_run(run.run_id())->ready_at) << "only a dequeue makes a waiting run due";
  EXPECT_EQ(transaction->queue_entry(run.run_id())->position, 1);
  transaction.reset();
  restart_engine();
  EXPECT_EQ(run.return_value(60s), 1);
}

TEST_F(QueueTest, StartingIntoAnUndeclaredQueueNamesIt) {
  try {
    workflow::start({.queue = "nowhere"}, queued_work, 1);
    FAIL() << "no error";
  } catch (const workflow::ConfigurationError& error) {
    EXPECT_NE(std::string(error.what()).find("queue 'nowhere' is not declared"), std::string::npos) << error.what();
  }
  EXPECT_THROW(workflow::start({.priority = 3}, queued_work, 1), workflow::ConfigurationError);
  EXPECT_THROW(workflow::declare_queue("bad", {.concurrency = -1}), workflow::ConfigurationError);
  EXPECT_TRUE(store().read()->list_runs({}).empty()) << "nothing was started";
}

TEST_F(QueueTest, RedeclaringReplacesTheLimits) {
  workflow::declare_queue("tunable", {.concurrency = 1});
  workflow::declare_queue("tunable", {.concurrency = 4, .rate_limit = {10, 1s}});
  auto queues = workflow::list_queues();
  ASSERT_EQ(queues.size(), 1u);
  EXPECT_EQ(queues[0].options.concurrency, 4);
  EXPECT_EQ(queues[0].options.rate_limit.count, 10);
  EXPECT_EQ(queues[0].options.rate_limit.period, 1s);
}

TEST_F(QueueTest, ACopiedJournalKeepsItsQueuesAndWaitingRuns) {
  workflow::declare_queue("copied", {.concurrency = 1});
  start_idle_engine();
  auto waiting = workflow::start({.queue = "copied", .priority = 4, .deduplication_id = "keep"}, queued_work, 7);
  workflow::shutdown();
  auto copy = (dir_.path() / "copy.db").string();
  workflow::copy_journal(database_path(), copy);
  auto config_of_copy = config();
  config_of_copy.database = copy;
  workflow::configure(config_of_copy);
  auto queues = workflow::list_queues();
  ASSERT_EQ(queues.size(), 1u);
  EXPECT_EQ(queues[0].options.concurrency, 1);
  EXPECT_EQ(queues[0].name, "copied");
  EXPECT_EQ(workflow::Run<int>(waiting.run_id()).return_value(60s), 7) << "the waiting run left its queue";
  auto entry = store().read()->queue_entry(waiting.run_id());
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->priority, 4);
  EXPECT_EQ(entry->deduplication_id, "keep");
}

}  // namespace
