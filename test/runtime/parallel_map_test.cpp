// workflow::parallel_map: results in item order, ten thousand items, the bound on items in
// flight, a failing item, an item that retries, and a replay that runs only unfinished items.
#include "test_support.hpp"

#include <workflow/replay_check.hpp>

#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <numeric>
#include <thread>

namespace {

// Executions per item, by step.
std::mutex g_counts_mutex;
std::map<int, int> g_first_step_runs;
std::map<int, int> g_second_step_runs;
std::atomic<int> g_in_flight{0};
std::atomic<int> g_most_in_flight{0};

void count(std::map<int, int>& runs, int item) {
  std::lock_guard lock(g_counts_mutex);
  ++runs[item];
}
int runs_of(const std::map<int, int>& runs, int item) {
  std::lock_guard lock(g_counts_mutex);
  auto found = runs.find(item);
  return found == runs.end() ? 0 : found->second;
}

std::vector<int> items_up_to(int count) {
  std::vector<int> items(count);
  std::iota(items.begin(), items.end(), 0);
  return items;
}

// Later items finish first, so completion order differs from item order.
int square_after_a_pause(int x) {
  count(g_first_step_runs, x);
  std::this_thread::sleep_for(std::chrono::microseconds(100 * ((100 - x) % 7)));
  return x * x;
}
REGISTER_STEP(square_after_a_pause);

int double_item(int x) {
  count(g_first_step_runs, x);
  return 2 * x;
}
REGISTER_STEP(double_item);

int plus_one(int x) {
  count(g_second_step_runs, x);
  return x + 1;
}
REGISTER_STEP(plus_one);

// Counts how many of these run at once: what the bounded form bounds.
int measure_in_flight(int x) {
  count(g_first_step_runs, x);
  int now = ++g_in_flight;
  for (int seen = g_most_in_flight; now > seen && !g_most_in_flight.compare_exchange_weak(seen, now);) {
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  --g_in_flight;
  return x;
}
REGISTER_STEP(measure_in_flight);

int refuse_some(int x) {
  count(g_first_step_runs, x);
  if (x == 7 || x == 13) throw workflow::FatalError("item " + std::to_string(x) + " refused");
  return x;
}
REGISTER_STEP(refuse_some);

int busy_once(int x) {
  count(g_first_step_runs, x);
  if (x == 3 && runs_of(g_first_step_runs, x) == 1)
    throw workflow::RetryableError("busy", std::chrono::milliseconds(50));
  return x;
}
REGISTER_STEP(busy_once);

std::vector<int> squares(int count) {
  WORKFLOW_ENTRY(squares);
  return workflow::parallel_map(items_up_to(count), [](const int& x) { return CALL_STEP(square_after_a_pause, x); });
}
REGISTER_WORKFLOW(squares);

// Sleeps after the fan-out, so that a test can restart the engine and replay it.
long doubled_then_sleep(int count) {
  WORKFLOW_ENTRY(doubled_then_sleep);
  auto doubled = workflow::parallel_map(items_up_to(count), [](const int& x) { return CALL_STEP(double_item, x); });
  workflow::sleep(std::chrono::hours(1));
  return std::accumulate(doubled.begin(), doubled.end(), 0L);
}
REGISTER_WORKFLOW(doubled_then_sleep);

int at_most(int count, int bound) {
  WORKFLOW_ENTRY(at_most);
  auto seen = workflow::parallel_map(
      items_up_to(count), [](const int& x) { return CALL_STEP(measure_in_flight, x); },
      {.max_in_flight = static_cast<std::size_t>(bound)});
  return static_cast<int>(seen.size());
}
REGISTER_WORKFLOW(at_most);

std::string with_refusals() {
  WORKFLOW_ENTRY(with_refusals);
  try {
    workflow::parallel_map(items_up_to(20), [](const int& x) { return CALL_STEP(refuse_some, x); });
    return "no error";
  } catch (const workflow::StepFailedError& error) {
    return error.what();
  }
}
REGISTER_WORKFLOW(with_refusals);

int with_a_busy_item() {
  WORKFLOW_ENTRY(with_a_busy_item);
  auto values = workflow::parallel_map(items_up_to(10), [](const int& x) { return CALL_STEP(busy_once, x); });
  return std::accumulate(values.begin(), values.end(), 0);
}
REGISTER_WORKFLOW(with_a_busy_item);

// Every tenth item sleeps between its two steps: the run suspends with those items unfinished.
int some_items_sleep() {
  WORKFLOW_ENTRY(some_items_sleep);
  auto values = workflow::parallel_map(items_up_to(50), [](const int& x) {
    int doubled = CALL_STEP(double_item, x);
    if (x % 10 == 0) workflow::sleep(std::chrono::hours(1));
    return CALL_STEP(plus_one, doubled);
  });
  return std::accumulate(values.begin(), values.end(), 0);
}
REGISTER_WORKFLOW(some_items_sleep);

// No steps: only the number of items is under test.
long hundred_thousand_items() {
  WORKFLOW_ENTRY(hundred_thousand_items);
  auto values = workflow::parallel_map(items_up_to(100000), [](const int& x) { return long{x}; });
  return std::accumulate(values.begin(), values.end(), 0L);
}
REGISTER_WORKFLOW(hundred_thousand_items);

std::size_t no_items_then_a_step() {
  WORKFLOW_ENTRY(no_items_then_a_step);
  auto none = workflow::parallel_map(std::vector<int>{}, [](const int& x) { return CALL_STEP(double_item, x); });
  return none.size() + static_cast<std::size_t>(CALL_STEP(double_item, 21));
}
REGISTER_WORKFLOW(no_items_then_a_step);

class ParallelMapTest : public workflow::test_support::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    std::lock_guard lock(g_counts_mutex);
    g_first_step_runs.clear();
    g_second_step_runs.clear();
    g_in_flight = 0;
    g_most_in_flight = 0;
  }
  template <class R>
  static std::set<std::string> completed_keys(const workflow::Run<R>& run) {
    std::set<std::string> keys;
    for (const auto& event : run.events())
      if (event.type == "step_completed") keys.insert(event.correlation_id);
    return keys;
  }
};

TEST_F(ParallelMapTest, ResultsComeBackInItemOrderAndEachItemHasItsBranchKey) {
  auto run = workflow::start(squares, 100);
  auto results = run.return_value(std::chrono::seconds(30));
  ASSERT_EQ(results.size(), 100u);
  for (int x = 0; x < 100; ++x) EXPECT_EQ(results[x], x * x) << x;
  auto keys = completed_keys(run);
  EXPECT_EQ(keys.size(), 100u);
  EXPECT_TRUE(keys.count("p1.1/step-1")) << "item 0 is branch 1";
  EXPECT_TRUE(keys.count("p1.100/step-1")) << "item 99 is branch 100";
}

TEST_F(ParallelMapTest, TenThousandItemsCompleteAndReplayWithoutRunningAgain) {
  constexpr int kItems = 10000;
  auto started = std::chrono::steady_clock::now();
  auto run = workflow::start(doubled_then_sleep, kItems);
  for (int i = 0; i < 12000 && run.status() != workflow::RunStatus::waiting; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(run.status(), workflow::RunStatus::waiting);
  auto first_run = std::chrono::steady_clock::now() - started;

  restart_engine();
  auto replay_started = std::chrono::steady_clock::now();
  run.wake_up();
  EXPECT_EQ(run.return_value(std::chrono::seconds(60)), long{kItems} * (kItems - 1));
  auto replay = std::chrono::steady_clock::now() - replay_started;
  std::cout << "parallel_map over " << kItems << " items (" << workflow::test_support::test_backend()
            << "): first run " << std::chrono::duration_cast<std::chrono::milliseconds>(first_run).count()
            << " ms, replay " << std::chrono::duration_cast<std::chrono::milliseconds>(replay).count() << " ms\n";
  std::lock_guard lock(g_counts_mutex);
  EXPECT_EQ(g_first_step_runs.size(), static_cast<std::size_t>(kItems));
  for (auto& [item, runs] : g_first_step_runs) ASSERT_EQ(runs, 1) << "item " << item << " ran again";
}

TEST_F(ParallelMapTest, TheBoundedFormNeverHasMoreThanNItemsExecutingAtOnce) {
  auto run = workflow::start(at_most, 200, 5);
  EXPECT_EQ(run.return_value(std::chrono::seconds(30)), 200);
  EXPECT_LE(g_most_in_flight.load(), 5);
  EXPECT_GE(g_most_in_flight.load(), 2) << "the items did not overlap at all";
  std::cout << "most items in flight with max_in_flight = 5: " << g_most_in_flight.load() << "\n";
}

TEST_F(ParallelMapTest, TheFirstFailingItemInItemOrderIsThrownAfterEveryItemRan) {
  auto run = workflow::start(with_refusals);
  auto message = run.return_value(std::chrono::seconds(30));
  EXPECT_NE(message.find("item 7 refused"), std::string::npos) << message;
  std::lock_guard lock(g_counts_mutex);
  EXPECT_EQ(g_first_step_runs.size(), 20u) << "every item runs to its end";
  auto failures = 0;
  for (const auto& event : run.events()) failures += event.type == "step_failed";
  EXPECT_EQ(failures, 2) << "both failures are journaled";
}

TEST_F(ParallelMapTest, AnItemThatRetriesSuspendsTheRunAndOnlyThatItemRunsAgain) {
  auto run = workflow::start(with_a_busy_item);
  EXPECT_EQ(run.return_value(std::chrono::seconds(30)), 45);
  EXPECT_EQ(runs_of(g_first_step_runs, 3), 2);
  for (int x = 0; x < 10; ++x)
    if (x != 3) EXPECT_EQ(runs_of(g_first_step_runs, x), 1) << "item " << x;
}

TEST_F(ParallelMapTest, AReplayAfterARestartRunsOnlyTheUnfinishedItems) {
  auto run = workflow::start(some_items_sleep);
  wait_for_status(run, workflow::RunStatus::waiting);
  for (int x = 0; x < 50; ++x) {
    EXPECT_EQ(runs_of(g_first_step_runs, x), 1) << "item " << x;
    EXPECT_EQ(runs_of(g_second_step_runs, 2 * x), x % 10 == 0 ? 0 : 1) << "item " << x;
  }

  restart_engine();
  run.wake_up();
  // Sum over x of 2x + 1.
  EXPECT_EQ(run.return_value(std::chrono::seconds(30)), 50 * 49 + 50);
  for (int x = 0; x < 50; ++x) {
    EXPECT_EQ(runs_of(g_first_step_runs, x), 1) << "item " << x << " ran its first step again";
    EXPECT_EQ(runs_of(g_second_step_runs, 2 * x), 1) << "item " << x;
  }
}

TEST_F(ParallelMapTest, AReplayCheckReplaysEveryItemOfAFinishedAndOfAWaitingRun) {
  auto finished = workflow::start(squares, 100);
  finished.return_value(std::chrono::seconds(30));
  auto waiting = workflow::start(some_items_sleep);
  wait_for_status(waiting, workflow::RunStatus::waiting);
  auto report = workflow::check_replay(database_path(), {.run_ids = {finished.run_id(), waiting.run_id()}});
  ASSERT_EQ(report.runs.size(), 2u);
  for (const auto& result : report.runs) {
    EXPECT_EQ(result.verdict, workflow::ReplayResult::Verdict::compatible) << result.run_id << ": " << result.message;
    // The call itself, then each item's steps (a waiting item's sleep is where it stands).
    EXPECT_GE(result.calls_replayed, 101u) << result.run_id;
  }
}

TEST_F(ParallelMapTest, TakesAHundredThousandItems) {
  auto run = workflow::start(hundred_thousand_items);
  EXPECT_EQ(run.return_value(std::chrono::seconds(60)), 100000L * 99999 / 2);
}

TEST_F(ParallelMapTest, NoItemsStillTakesItsPositionAndReturnsNothing) {
  auto run = workflow::start(no_items_then_a_step);
  EXPECT_EQ(run.return_value(std::chrono::seconds(30)), 42u);
  EXPECT_EQ(completed_keys(run), std::set<std::string>{"step-2"});
}

}  // namespace
