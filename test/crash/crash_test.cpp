// Kills a real worker process with SIGKILL at random instants, at least 100 times, restarting it
// each time, and checks DESIGN §4's promises: every run completes with the right result, every
// step's completion is recorded exactly once, and only a step that was in progress when its
// process died ever ran twice.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#ifndef CRASH_WORKER_PATH
#error "CRASH_WORKER_PATH must name the crash_worker executable"
#endif

namespace {

pid_t spawn_worker(const std::string& journal, const std::string& log, int generation) {
  pid_t pid = fork();
  if (pid == 0) {
    std::string gen = std::to_string(generation);
    execl(CRASH_WORKER_PATH, CRASH_WORKER_PATH, journal.c_str(), log.c_str(), gen.c_str(), nullptr);
    _exit(127);
  }
  return pid;
}

// Waits up to `limit` for the child; returns its wait status, or nothing if it still runs.
std::optional<int> wait_for(pid_t pid, std::chrono::microseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return status;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

struct LogLine {
  long pid;
  std::string what, run;
  int step;
};

std::vector<LogLine> read_log(const std::string& path) {
  std::ifstream in(path);
  std::vector<LogLine> lines;
  LogLine line;
  while (in >> line.pid >> line.what >> line.run >> line.step) lines.push_back(line);
  return lines;
}

TEST(CrashTest, SigkillAtRandomInstantsLosesNothingAndRepeatsOnlyInterruptedSteps) {
  auto dir = std::filesystem::temp_directory_path() / ("workflow-crash-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string journal = (dir / "journal.db").string();
  std::string log = (dir / "steps.log").string();

  std::mt19937 random{std::random_device{}()};
  int kills = 0, generation = 0, completed_generations = 0;
  std::set<long> killed_pids;
  for (int attempt = 0; attempt < 2000 && kills < 100; ++attempt) {
    pid_t pid = spawn_worker(journal, log, generation);
    ASSERT_GT(pid, 0);
    auto status = wait_for(pid, std::chrono::microseconds(random() % 80000));
    if (!status) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
      killed_pids.insert(pid);
      ++kills;
      continue;
    }
    ASSERT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << "worker failed: " << *status;
    ++completed_generations;
    ++generation;
  }
  ASSERT_GE(kills, 100);
  // Let the last generation finish undisturbed.
  pid_t pid = spawn_worker(journal, log, generation);
  auto status = wait_for(pid, std::chrono::seconds(60));
  ASSERT_TRUE(status.has_value()) << "the final worker did not finish";
  ASSERT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
  ++completed_generations;
  std::cout << "kills: " << kills << ", generations completed: " << completed_generations << "\n";

  // Every run completed with the right result; each step completion is recorded exactly once.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(journal.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* runs = nullptr;
  sqlite3_prepare_v2(db, "SELECT id, status, output FROM runs", -1, &runs, nullptr);
  int run_count = 0;
  while (sqlite3_step(runs) == SQLITE_ROW) {
    ++run_count;
    std::string id = reinterpret_cast<const char*>(sqlite3_column_text(runs, 0));
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(runs, 1)), "completed") << id;
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(runs, 2)), "650") << id;
  }
  sqlite3_finalize(runs);
  EXPECT_EQ(run_count, 3 * (generation + 1));
  sqlite3_stmt* completions = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT run_id, correlation_id, count(*) FROM events "
                     "WHERE type = 'step_completed' GROUP BY run_id, correlation_id",
                     -1, &completions, nullptr);
  std::map<std::string, int> steps_per_run;
  while (sqlite3_step(completions) == SQLITE_ROW) {
    EXPECT_EQ(sqlite3_column_int(completions, 2), 1);
    ++steps_per_run[reinterpret_cast<const char*>(sqlite3_column_text(completions, 0))];
  }
  sqlite3_finalize(completions);
  sqlite3_close(db);
  for (auto& [run, count] : steps_per_run) EXPECT_EQ(count, 12) << run;

  // A step body ran again only if it was the last one its killed process had started for that run.
  auto lines = read_log(log);
  std::map<std::pair<long, std::string>, int> last_started;  // (pid, run) -> step
  std::map<std::pair<std::string, int>, std::vector<long>> starts;  // (run, step) -> pids
  for (auto& line : lines) {
    if (line.what != "start") continue;
    last_started[{line.pid, line.run}] = line.step;
    starts[{line.run, line.step}].push_back(line.pid);
  }
  int repeated = 0;
  for (auto& [key, pids] : starts) {
    for (std::size_t i = 0; i + 1 < pids.size(); ++i) {
      ++repeated;
      EXPECT_TRUE(killed_pids.count(pids[i])) << key.first << " step " << key.second;
      EXPECT_EQ((last_started[{pids[i], key.first}]), key.second)
          << key.first << " step " << key.second << " ran again although process " << pids[i]
          << " had finished it and moved on";
    }
  }
  std::cout << "step bodies repeated after a kill: " << repeated << "\n";
  std::filesystem::remove_all(dir);
}

}  // namespace
