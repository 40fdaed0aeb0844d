// workflow::parallel: branches really overlap, results come back in argument order, replay gives
// the same results whichever branch finished first, errors and retries inside branches.
#include "test_support.hpp"

#include <thread>

namespace {

std::atomic<int> g_slow_runs{0};
std::atomic<int> g_flaky_attempts{0};
std::atomic<int> g_running{0};
std::atomic<int> g_most_running{0};

int slow_identity(int x) {
  ++g_slow_runs;
  // Slow enough that the other branch ends (or fails) first.
  std::this_thread::sleep_for(std::chrono::milliseconds(250 - 10 * x));
  return x;
}
REGISTER_STEP(slow_identity);

// Overlap is shown by what the branches see, not by a clock: each waits (up to 5 s) until all four
// are running at once, which branches run one after another never are.
int overlapping_identity(int x) {
  ++g_slow_runs;
  int now_running = ++g_running;
  for (int seen = g_most_running; now_running > seen && !g_most_running.compare_exchange_weak(seen, now_running);) {
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (g_most_running < 4 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  // Later branches finish first, so completion order differs from argument order.
  std::this_thread::sleep_for(std::chrono::milliseconds(50 - 10 * x));
  --g_running;
  return x;
}
REGISTER_STEP(overlapping_identity);

std::string flaky_once(std::string value) {
  if (++g_flaky_attempts == 1) throw workflow::RetryableError("busy", std::chrono::milliseconds(50));
  return value;
}
REGISTER_STEP(flaky_once);

int refuse(int) { throw workflow::FatalError("refused"); }
REGISTER_STEP(refuse);

std::vector<int> four_at_once() {
  WORKFLOW_ENTRY(four_at_once);
  auto [a, b, c, d] = workflow::parallel([] { return CALL_STEP(overlapping_identity, 1); },
                                         [] { return CALL_STEP(overlapping_identity, 2); },
                                         [] { return CALL_STEP(overlapping_identity, 3); },
                                         [] { return CALL_STEP(overlapping_identity, 4); });
  workflow::sleep(std::chrono::hours(1));
  return {a, b, c, d};
}
REGISTER_WORKFLOW(four_at_once);

std::string with_retry() {
  WORKFLOW_ENTRY(with_retry);
  auto [x, y] = workflow::parallel([] { return CALL_STEP(slow_identity, 5); },
                                   [] { return CALL_STEP(flaky_once, std::string("ok")); });
  return std::to_string(x) + y;
}
REGISTER_WORKFLOW(with_retry);

std::string with_failure() {
  WORKFLOW_ENTRY(with_failure);
  try {
    workflow::parallel([] { return CALL_STEP(slow_identity, 9); }, [] { return CALL_STEP(refuse, 1); });
    return "no error";
  } catch (const workflow::StepFailedError& error) {
    return std::string("caught: ") + error.what();
  }
}
REGISTER_WORKFLOW(with_failure);

class ParallelTest : public workflow::test_support::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    g_slow_runs = 0;
    g_flaky_attempts = 0;
    g_running = 0;
    g_most_running = 0;
  }
};

TEST_F(ParallelTest, BranchesOverlapAndResultsComeBackInArgumentOrder) {
  auto run = workflow::start(four_at_once);
  wait_for_status(run, workflow::RunStatus::waiting);
  EXPECT_EQ(g_most_running.load(), 4) << "the four steps did not overlap";
  std::set<std::string> keys;
  for (const auto& event : run.events()) {
    if (event.type == "step_completed") keys.insert(event.correlation_id);
  }
  EXPECT_EQ(keys, (std::set<std::string>{"p1.1/step-1", "p1.2/step-1", "p1.3/step-1", "p1.4/step-1"}));

  restart_engine();  // the replay answers all four branches from the journal
  run.wake_up();
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), (std::vector<int>{1, 2, 3, 4}));
  EXPECT_EQ(g_slow_runs.load(), 4);
}

TEST_F(ParallelTest, ABranchThatMustRetrySuspendsTheRunAndTheOthersDoNotRunAgain) {
  auto run = workflow::start(with_retry);
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), "5ok");
  EXPECT_EQ(g_flaky_attempts.load(), 2);
  EXPECT_EQ(g_slow_runs.load(), 1);
}

TEST_F(ParallelTest, ABranchsFailureIsThrownAtTheParallelCall) {
  auto run = workflow::start(with_failure);
  auto result = run.return_value(std::chrono::seconds(10));
  EXPECT_NE(result.find("caught: "), std::string::npos) << result;
  EXPECT_NE(result.find("refused"), std::string::npos) << result;
}

// A branch waiting for a child or an event while another branch still runs a step: the child
// ends, or the event arrives, before the run is suspended, so the suspension itself must notice
// (it once kept only the earliest time, and these runs then waited forever).
int add_one_in_child(int x) { return x + 1; }
REGISTER_STEP(add_one_in_child);
int quick_child(int x) {
  WORKFLOW_ENTRY(quick_child);
  return CALL_STEP(add_one_in_child, x);
}
REGISTER_WORKFLOW(quick_child);
int slow_sibling_step(int x) {
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  return x;
}
REGISTER_STEP(slow_sibling_step);
int child_beside_a_slow_step(int x) {
  WORKFLOW_ENTRY(child_beside_a_slow_step);
  auto [a, b] = workflow::parallel([&] { return CALL_WORKFLOW(quick_child, x); }, [&] { return CALL_STEP(slow_sibling_step, x); });
  return a + b;
}
REGISTER_WORKFLOW(child_beside_a_slow_step);
std::string event_beside_a_slow_step() {
  WORKFLOW_ENTRY(event_beside_a_slow_step);
  auto [a, b] = workflow::parallel([&] { return workflow::wait_for_event<std::string>("go"); },
                                   [&] { return std::to_string(CALL_STEP(slow_sibling_step, 1)); });
  return a + b;
}
REGISTER_WORKFLOW(event_beside_a_slow_step);

TEST_F(ParallelTest, AChildThatEndsWhileASiblingBranchRunsWakesTheRun) {
  auto run = workflow::start(child_beside_a_slow_step, 1);
  EXPECT_EQ(run.return_value(std::chrono::seconds(30)), 3);
}

TEST_F(ParallelTest, AnEventThatArrivesWhileASiblingBranchRunsWakesTheRun) {
  auto run = workflow::start(event_beside_a_slow_step);
  wait_for_status(run, workflow::RunStatus::running);
  run.send_event("go", std::string("x"));
  EXPECT_EQ(run.return_value(std::chrono::seconds(30)), "x1");
}

// Replay keys (defect 5 of issue 13): a branch making more than 1,023 calls once shared keys with
// the next branch, and nesting beyond three levels overflowed the numeric keys.
std::atomic<int> g_counted_calls{0};
int count_in_first_branch(int x) {
  ++g_counted_calls;
  return x;
}
REGISTER_STEP(count_in_first_branch);
int count_in_second_branch(int x) {
  ++g_counted_calls;
  return -x;
}
REGISTER_STEP(count_in_second_branch);

constexpr int kManyCalls = 1100;

long many_calls_in_a_branch() {
  WORKFLOW_ENTRY(many_calls_in_a_branch);
  auto [first, second] = workflow::parallel(
      [] {
        long sum = 0;
        for (int i = 1; i <= kManyCalls; ++i) sum += CALL_STEP(count_in_first_branch, i);
        return sum;
      },
      [] {
        long sum = 0;
        for (int i = 1; i <= 3; ++i) sum += CALL_STEP(count_in_second_branch, i);
        return sum;
      });
  workflow::sleep(std::chrono::hours(1));
  return first + second;
}
REGISTER_WORKFLOW(many_calls_in_a_branch);

int nested_branches(int depth) {
  int here = CALL_STEP(count_in_first_branch, depth);
  if (depth == 0) return here;
  auto [left, right] = workflow::parallel([depth] { return nested_branches(depth - 1); },
                                          [depth] { return CALL_STEP(count_in_second_branch, depth); });
  return here + left + right;
}

int deeply_nested() {
  WORKFLOW_ENTRY(deeply_nested);
  int result = nested_branches(6);
  workflow::sleep(std::chrono::hours(1));
  return result;
}
REGISTER_WORKFLOW(deeply_nested);

TEST_F(ParallelTest, ABranchWithMoreThanAThousandCallsReplaysWithoutCollidingWithTheNext) {
  g_counted_calls = 0;
  auto run = workflow::start(many_calls_in_a_branch);
  // 1,103 steps, each durable before the next: more than wait_for_status's two seconds.
  for (int i = 0; i < 6000 && run.status() != workflow::RunStatus::waiting; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(run.status(), workflow::RunStatus::waiting);
  ASSERT_EQ(g_counted_calls.load(), kManyCalls + 3);

  restart_engine();
  run.wake_up();
  EXPECT_EQ(run.return_value(std::chrono::seconds(30)), long{kManyCalls} * (kManyCalls + 1) / 2 - 6);
  EXPECT_EQ(g_counted_calls.load(), kManyCalls + 3) << "replay ran recorded steps again";
}

TEST_F(ParallelTest, BranchesNestedSixDeepReplayFromTheirOwnKeys) {
  g_counted_calls = 0;
  auto run = workflow::start(deeply_nested);
  wait_for_status(run, workflow::RunStatus::waiting);
  int calls = g_counted_calls.load();
  std::set<std::string> keys;
  for (const auto& event : run.events()) {
    if (event.type == "step_completed") keys.insert(event.correlation_id);
  }
  EXPECT_EQ(keys.size(), static_cast<std::size_t>(calls));
  EXPECT_TRUE(keys.count("p2.1/p2.1/p2.1/p2.1/p2.1/p2.1/step-1")) << "the innermost call's key";

  restart_engine();
  run.wake_up();
  // 6+5+...+0 on the left, 6+5+...+1 negated on the right.
  EXPECT_EQ(run.return_value(std::chrono::seconds(30)), 0);
  EXPECT_EQ(g_counted_calls.load(), calls) << "replay ran recorded steps again";
}

}  // namespace
