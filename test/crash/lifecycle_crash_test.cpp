// Lifecycle control across SIGKILLs: a run paused while its worker is killed stays paused under
// the next worker and continues once resumed; a run restarted while its worker is killed runs its
// new attempt to the end; each call of each attempt records exactly one outcome. The control
// operations come from this process (as `wf` would send them), the runs execute in crash_worker.
#include <workflow/workflow.hpp>

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <map>
#include <random>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#ifndef CRASH_WORKER_PATH
#error "CRASH_WORKER_PATH must name the crash_worker executable"
#endif

namespace {

constexpr const char* kStepMs = "30";  // a run of 12 steps takes about 0.4 s

pid_t spawn_worker(const std::string& journal, const std::string& log) {
  pid_t pid = fork();
  if (pid == 0) {
    execl(CRASH_WORKER_PATH, CRASH_WORKER_PATH, journal.c_str(), log.c_str(), "0", kStepMs, nullptr);
    _exit(127);
  }
  return pid;
}

void sigkill(pid_t pid) {
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

// step correlation ID -> completions, for the run's events after its last restart (or all).
std::map<std::string, int> completions(const workflow::RunHandle& run, bool latest_attempt_only) {
  std::map<std::string, int> counts;
  for (const auto& event : run.events()) {
    if (event.type == "run_restarted" && latest_attempt_only) counts.clear();
    if (event.type == "step_completed") ++counts[event.correlation_id];
  }
  return counts;
}

template <class Predicate>
bool eventually(Predicate predicate, std::chrono::seconds limit = std::chrono::seconds(20)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

TEST(LifecycleCrashTest, PauseAndRestartHoldAcrossSigkills) {
  auto dir = std::filesystem::temp_directory_path() / ("workflow-lifecycle-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::string journal = (dir / "journal.db").string();
  std::string log = (dir / "steps.log").string();
  workflow::configure({.database = journal, .execute_runs = false});
  auto paused = workflow::get_run("gen0-run0");
  auto restarted = workflow::get_run("gen0-run1");

  pid_t pid = spawn_worker(journal, log);
  ASSERT_TRUE(eventually([&] { return paused.exists() && completions(paused, false).size() >= 2; }));
  paused.pause();
  ASSERT_TRUE(eventually([&] { return completions(restarted, false).size() >= 3; }));
  restarted.restart();
  sigkill(pid);

  // The paused run makes no progress under another worker, killed again in its turn.
  auto frozen = completions(paused, false);
  pid = spawn_worker(journal, log);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_EQ(paused.status(), workflow::RunStatus::paused);
  EXPECT_EQ(completions(paused, false), frozen);
  sigkill(pid);
  paused.resume();

  // More kills at random instants, then a worker that finishes everything.
  std::mt19937 random{std::random_device{}()};
  for (int kill_round = 0; kill_round < 5; ++kill_round) {
    pid = spawn_worker(journal, log);
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + random() % 150));
    sigkill(pid);
  }
  pid = spawn_worker(journal, log);
  int status = 0;
  ASSERT_TRUE(eventually([&] { return waitpid(pid, &status, WNOHANG) == pid; }, std::chrono::seconds(60)));
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;

  for (const auto* run : {&paused, &restarted}) {
    EXPECT_EQ(run->status(), workflow::RunStatus::completed) << run->run_id();
    EXPECT_EQ(run->return_json(), 650) << run->run_id();
  }
  auto paused_steps = completions(paused, false);
  EXPECT_EQ(paused_steps.size(), 12u);
  for (const auto& [call, count] : paused_steps) EXPECT_EQ(count, 1) << call;
  auto new_attempt = completions(restarted, true);
  EXPECT_EQ(new_attempt.size(), 12u);
  for (const auto& [call, count] : new_attempt) {
    EXPECT_EQ(call.rfind("a2/step-", 0), 0u) << call;
    EXPECT_EQ(count, 1) << call;
  }
  int restarts = 0;
  for (const auto& event : restarted.events()) restarts += event.type == "run_restarted";
  EXPECT_EQ(restarts, 1);
  workflow::shutdown();
  std::filesystem::remove_all(dir);
}

}  // namespace
