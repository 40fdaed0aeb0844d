// Retention (docs/retention.md): workers delete runs that ended longer ago than Config::retention,
// prune_runs does it on demand, and a kept run stays. The store's side (which runs a batch takes,
// what goes with them) is in the conformance suite; here, the engine and the public API.
#include "test_support.hpp"

#include "retention/retention_thread.hpp"
#include "util/duration_text.hpp"
#include "util/time.hpp"

#include <workflow/retention.hpp>

#include <chrono>
#include <thread>

namespace {

using namespace std::chrono_literals;

int retained_step(int x) { return x * 2; }
REGISTER_STEP(retained_step);

int retained_child(int x) {
  WORKFLOW_ENTRY(retained_child);
  return CALL_STEP(retained_step, x);
}
REGISTER_WORKFLOW(retained_child);

int retained_parent(int x) {
  WORKFLOW_ENTRY(retained_parent);
  return CALL_WORKFLOW(retained_child, x) + 1;
}
REGISTER_WORKFLOW(retained_parent);

int retained_sleeper() {
  WORKFLOW_ENTRY(retained_sleeper);
  workflow::sleep(1h);
  return 0;
}
REGISTER_WORKFLOW(retained_sleeper);

int retained_failure() {
  WORKFLOW_ENTRY(retained_failure);
  throw std::runtime_error("on purpose");
}
REGISTER_WORKFLOW(retained_failure);

}  // namespace

namespace workflow::test_support {
namespace {

bool exists(const std::string& run_id) {
  try {
    workflow::inspect_run(run_id);
    return true;
  } catch (const workflow::RunNotFoundError&) {
    return false;
  }
}

/// The run IDs of `runs` that are still in the journal.
std::vector<std::string> remaining(const std::vector<std::string>& runs) {
  std::vector<std::string> left;
  for (const auto& id : runs)
    if (exists(id)) left.push_back(id);
  return left;
}

class RetentionTest : public EngineTest {
 protected:
  /// Restarts the engine deleting runs that ended `retention` ago, looking every second.
  void restart_with_retention(std::chrono::seconds retention) {
    workflow::shutdown();
    auto configured = config();
    configured.retention = retention;
    configured.retention_interval = 1s;
    workflow::configure(configured);
  }
  /// A run of the parent (and so of the child) that has ended; returns {parent, child}.
  std::pair<std::string, std::string> ended_family(int x) {
    auto run = workflow::start(retained_parent, x);
    EXPECT_EQ(run.return_value(10s), x * 2 + 1);
    auto children = workflow::list_runs({.status = std::nullopt, .workflow = WF_ID(retained_child), .since = std::nullopt,
                                         .limit = 1000, .cursor = ""});
    for (const auto& child : children.runs)
      if (child.parent_run_id == run.run_id()) return {run.run_id(), child.id};
    ADD_FAILURE() << "no child run of " << run.run_id();
    return {run.run_id(), ""};
  }
};

TEST_F(RetentionTest, PruneDeletesEndedRunsWithTheirChildrenAndLeavesKeptAndUnfinishedOnes) {
  auto [parent, child] = ended_family(1);
  auto [kept_parent, kept_child] = ended_family(2);
  workflow::keep_run(kept_parent);
  EXPECT_TRUE(workflow::run_is_kept(kept_parent));
  auto sleeper = workflow::start(retained_sleeper);
  wait_for_status(sleeper, workflow::RunStatus::waiting);
  auto failed = workflow::start(retained_failure);
  EXPECT_THROW(failed.return_value(10s), workflow::Error);

  PruneOptions dry{.finished_before = detail::wall_now() + 1s, .statuses = {}, .dry_run = true};
  auto counted = workflow::prune_runs(dry);
  EXPECT_EQ(counted.runs, 3) << "the parent, its child and the failed run";
  EXPECT_GT(counted.events, 6);
  EXPECT_EQ(counted.batches, 0);
  EXPECT_EQ(remaining({parent, child, failed.run_id()}).size(), 3u) << "a dry run deletes nothing";

  PruneOptions only_failed{.finished_before = detail::wall_now() + 1s, .statuses = {RunStatus::failed}, .dry_run = false};
  EXPECT_EQ(workflow::prune_runs(only_failed).runs, 1);
  EXPECT_FALSE(exists(failed.run_id()));
  EXPECT_TRUE(exists(parent));

  auto expected = workflow::prune_runs(dry);
  EXPECT_EQ(expected.runs, 2);
  PruneOptions all{.finished_before = detail::wall_now() + 1s, .statuses = {}, .dry_run = false};
  auto report = workflow::prune_runs(all);
  EXPECT_EQ(report.runs, 2);
  EXPECT_EQ(report.events, expected.events) << "a dry run counts what a prune deletes";
  EXPECT_GE(report.batches, 1);
  EXPECT_EQ(remaining({parent, child}), std::vector<std::string>{});
  EXPECT_EQ(remaining({kept_parent, kept_child, sleeper.run_id()}),
            (std::vector<std::string>{kept_parent, kept_child, sleeper.run_id()}));

  // Unkept, it goes like the others.
  workflow::keep_run(kept_parent, false);
  EXPECT_EQ(workflow::prune_runs(all).runs, 2);
  EXPECT_EQ(remaining({kept_parent, kept_child}), std::vector<std::string>{});
  EXPECT_TRUE(exists(sleeper.run_id()));
}

TEST_F(RetentionTest, TheCutOffIsWhenTheRunEnded) {
  auto [parent, child] = ended_family(3);
  auto ended_at = workflow::inspect_run(parent).summary.completed_at.value();
  EXPECT_EQ(workflow::prune_runs({.finished_before = ended_at, .statuses = {}, .dry_run = false}).runs, 0);
  EXPECT_EQ(workflow::prune_runs({.finished_before = ended_at + 1ms, .statuses = {}, .dry_run = false}).runs, 2);
}

TEST_F(RetentionTest, PruningUnfinishedStatusesIsRefused) {
  EXPECT_THROW(workflow::prune_runs({.finished_before = detail::wall_now(), .statuses = {RunStatus::waiting}, .dry_run = false}),
               std::invalid_argument);
  EXPECT_THROW(workflow::keep_run("no-such-run"), workflow::RunNotFoundError);
}

TEST_F(RetentionTest, AWorkerDeletesRunsOnceTheyAreOlderThanTheRetention) {
  restart_with_retention(1s);
  auto [parent, child] = ended_family(4);
  auto [kept_parent, kept_child] = ended_family(5);
  workflow::keep_run(kept_parent);
  auto sleeper = workflow::start(retained_sleeper);
  wait_for_status(sleeper, workflow::RunStatus::waiting);
  // Older than a second after at most one second more, and looked for every second.
  for (int i = 0; i < 100 && !remaining({parent, child}).empty(); ++i) std::this_thread::sleep_for(100ms);
  EXPECT_EQ(remaining({parent, child}), std::vector<std::string>{});
  EXPECT_EQ(remaining({kept_parent, kept_child, sleeper.run_id()}).size(), 3u);
}

TEST_F(RetentionTest, ZeroRetentionKeepsRunsForever) {
  restart_with_retention(0s);
  auto [parent, child] = ended_family(6);
  std::this_thread::sleep_for(2500ms);
  EXPECT_EQ(remaining({parent, child}).size(), 2u);
}

TEST(RetentionSetting, ReadsDurationsAndForever) {
  EXPECT_EQ(detail::parse_retention("30d"), std::chrono::seconds(std::chrono::days(30)));
  EXPECT_EQ(detail::parse_retention("1d12h"), std::chrono::seconds(std::chrono::hours(36)));
  EXPECT_EQ(detail::parse_retention("forever"), 0s);
  EXPECT_EQ(detail::parse_retention("0"), 0s);
  EXPECT_THROW(detail::parse_retention("30 days"), detail::DurationTextError);
  EXPECT_THROW(detail::parse_retention(""), detail::DurationTextError);
}

TEST(RetentionSetting, ABadEnvironmentValueNamesTheVariable) {
  ::setenv("WORKFLOW_RETENTION", "a month", 1);
  try {
    workflow::default_config();
    ADD_FAILURE() << "no error";
  } catch (const workflow::ConfigurationError& error) {
    EXPECT_NE(std::string(error.what()).find("WORKFLOW_RETENTION 'a month'"), std::string::npos) << error.what();
  }
  ::setenv("WORKFLOW_RETENTION", "12h", 1);
  EXPECT_EQ(workflow::default_config().retention, std::chrono::seconds(std::chrono::hours(12)));
  ::unsetenv("WORKFLOW_RETENTION");
  EXPECT_EQ(workflow::default_config().retention, std::chrono::seconds(std::chrono::days(30)));
}

}  // namespace
}  // namespace workflow::test_support
