// Deployments: each process has a deployment ID (by default derived from its build); a run is
// executed only by workers of the deployment it is pinned to; "latest" pins it to the newest
// deployment that registered the workflow.
#include "test_support.hpp"

#include "store/journal_store.hpp"
#include "util/time.hpp"

#include <thread>

namespace {

int double_it(int x) { return 2 * x; }
REGISTER_STEP(double_it);

int doubling(int x) {
  WORKFLOW_ENTRY(doubling);
  return CALL_STEP(double_it, x);
}
REGISTER_WORKFLOW(doubling);

using workflow::test_support::EngineTest;

std::string pinned_deployment(const workflow::RunHandle& run) {
  return run.events().front().data.value("deployment_id", std::string());
}

class DeploymentTest : public EngineTest {
 protected:
  void register_elsewhere(const std::string& deployment, std::chrono::seconds later) {
    auto store = workflow::detail::open_journal_store(database_path(), workflow::StoreOptions{});
    auto transaction = store->write();
    transaction->register_workflow({WF_ID(doubling), deployment, workflow::detail::wall_now() + later});
    transaction->commit();
  }
};

TEST_F(DeploymentTest, RunsArePinnedToTheDeploymentOfTheBuildThatStartedThem) {
  auto run = workflow::start(doubling, 4);
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), 8);
  EXPECT_EQ(pinned_deployment(run).rfind("build-", 0), 0u) << pinned_deployment(run);
}

TEST_F(DeploymentTest, ARunOfAnotherDeploymentIsNotExecutedHere) {
  auto run = workflow::start(workflow::StartOptions{.deployment_id = "build-other"}, doubling, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(run.status(), workflow::RunStatus::pending);
  restart_engine();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(run.status(), workflow::RunStatus::pending);
  EXPECT_EQ(pinned_deployment(run), "build-other");
}

TEST_F(DeploymentTest, LatestPicksTheNewestDeploymentThatRegisteredTheWorkflow) {
  auto ours = workflow::start(workflow::StartOptions{.deployment_id = "latest"}, doubling, 2);
  EXPECT_EQ(ours.return_value(std::chrono::seconds(10)), 4);  // this process registered last

  register_elsewhere("build-newer", std::chrono::seconds(60));
  auto newer = workflow::start(workflow::StartOptions{.deployment_id = "latest"}, doubling, 3);
  EXPECT_EQ(pinned_deployment(newer), "build-newer");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(newer.status(), workflow::RunStatus::pending) << "only build-newer's workers may run it";

  auto explicit_ours = workflow::start(
      workflow::StartOptions{.deployment_id = pinned_deployment(ours)}, doubling, 5);
  EXPECT_EQ(explicit_ours.return_value(std::chrono::seconds(10)), 10);
}

}  // namespace
