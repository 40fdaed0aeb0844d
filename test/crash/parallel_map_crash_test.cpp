// The acceptance test of parallel_map (issue 15): a worker process runs a parallel_map over
// 10,000 items and is killed with SIGKILL mid-way, twice; a new process resumes the run each time.
// The run completes with all 10,000 results, each item's completion is recorded exactly once, an
// item whose result was committed before a kill never runs again, and every item ran at least once.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#ifndef PARALLEL_MAP_WORKER_PATH
#error "PARALLEL_MAP_WORKER_PATH must name the parallel_map_worker executable"
#endif

namespace {

constexpr int kItems = 10000;

pid_t spawn_worker(const std::string& journal, const std::string& log) {
  pid_t pid = fork();
  if (pid == 0) {
    std::string items = std::to_string(kItems);
    execl(PARALLEL_MAP_WORKER_PATH, PARALLEL_MAP_WORKER_PATH, journal.c_str(), log.c_str(), items.c_str(), nullptr);
    _exit(127);
  }
  return pid;
}

struct LogLine {
  long pid;
  std::string what;
  int item;
};

std::vector<LogLine> read_log(const std::string& path) {
  std::ifstream in(path);
  std::vector<LogLine> lines;
  LogLine line;
  while (in >> line.pid >> line.what >> line.item) lines.push_back(line);
  return lines;
}

std::size_t count_ends(const std::string& path) {
  std::size_t ends = 0;
  for (auto& line : read_log(path)) ends += line.what == "end";
  return ends;
}

// Waits until the log shows `ends` finished step bodies, then kills the worker. False if the
// worker exited first (it was too quick to be killed mid-way).
bool kill_after(pid_t pid, const std::string& log, std::size_t ends) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (count_ends(log) < ends) {
    if (waitpid(pid, nullptr, WNOHANG) == pid || std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return true;
}

// The items whose step completion the journal holds (`p1.<item + 1>/step-1`), each with how many
// completions it records.
std::map<int, int> committed_items(const std::string& journal) {
  sqlite3* db = nullptr;
  std::map<int, int> items;
  if (sqlite3_open(journal.c_str(), &db) != SQLITE_OK) return items;
  sqlite3_stmt* completions = nullptr;
  sqlite3_prepare_v2(db, "SELECT correlation_id FROM events WHERE type = 'step_completed' AND run_id = 'map'", -1,
                     &completions, nullptr);
  while (sqlite3_step(completions) == SQLITE_ROW) {
    std::string key = reinterpret_cast<const char*>(sqlite3_column_text(completions, 0));
    int branch = 0;
    if (std::sscanf(key.c_str(), "p1.%d/step-1", &branch) == 1) ++items[branch - 1];
  }
  sqlite3_finalize(completions);
  sqlite3_close(db);
  return items;
}

std::optional<std::string> run_status(const std::string& journal) {
  sqlite3* db = nullptr;
  std::optional<std::string> status;
  if (sqlite3_open(journal.c_str(), &db) != SQLITE_OK) return status;
  sqlite3_stmt* query = nullptr;
  sqlite3_prepare_v2(db, "SELECT status FROM runs WHERE id = 'map'", -1, &query, nullptr);
  if (sqlite3_step(query) == SQLITE_ROW) status = reinterpret_cast<const char*>(sqlite3_column_text(query, 0));
  sqlite3_finalize(query);
  sqlite3_close(db);
  return status;
}

TEST(ParallelMapCrashTest, SigkillMidWayReRunsOnlyTheUnfinishedItems) {
  auto dir = std::filesystem::temp_directory_path() / ("workflow-map-crash-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::string journal = (dir / "journal.db").string();
  std::string log = (dir / "steps.log").string();

  // Two kills, at 30% and 60% of the items: the workers in start order, and what the journal
  // had committed at each kill.
  std::vector<long> workers;
  std::vector<std::set<int>> committed_at_kill;
  for (std::size_t ends : {kItems * 3 / 10, kItems * 6 / 10}) {
    pid_t pid = spawn_worker(journal, log);
    ASSERT_GT(pid, 0);
    workers.push_back(pid);
    ASSERT_TRUE(kill_after(pid, log, ends)) << "the worker ended before it could be killed at " << ends << " items";
    std::set<int> committed;
    for (auto& [item, completions] : committed_items(journal)) committed.insert(item);
    ASSERT_GT(committed.size(), 0u) << "nothing was committed before the kill";
    ASSERT_LT(committed.size(), static_cast<std::size_t>(kItems)) << "the kill came after the last item";
    std::cout << "killed " << pid << " after " << ends << " step bodies ended; " << committed.size()
              << " items committed\n";
    committed_at_kill.push_back(std::move(committed));
  }
  pid_t last = spawn_worker(journal, log);
  workers.push_back(last);
  int status = 0;
  ASSERT_EQ(waitpid(last, &status, 0), last);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the last worker failed: " << status;

  // The run completed (the worker checked all 10,000 results); each completion is recorded once.
  EXPECT_EQ(run_status(journal), "completed");
  auto completions = committed_items(journal);
  EXPECT_EQ(completions.size(), static_cast<std::size_t>(kItems));
  for (auto& [item, count] : completions) EXPECT_EQ(count, 1) << "item " << item;

  // Every item ran at least once; no process started after a kill ran an item committed before it.
  // So the items committed before the first kill ran exactly once.
  auto lines = read_log(log);
  std::map<int, int> starts;
  for (auto& line : lines) starts[line.item] += line.what == "start";
  int repeated = 0;
  for (int item = 0; item < kItems; ++item) {
    EXPECT_GE(starts[item], 1) << "item " << item << " never ran";
    repeated += starts[item] > 1;
  }
  for (std::size_t kill = 0; kill < committed_at_kill.size(); ++kill) {
    std::set<long> later_workers(workers.begin() + kill + 1, workers.end());
    for (auto& line : lines) {
      if (line.what == "start" && later_workers.count(line.pid))
        EXPECT_FALSE(committed_at_kill[kill].count(line.item))
            << "item " << line.item << " ran again in process " << line.pid << " after kill " << kill + 1
            << " although its result was committed before it";
    }
  }
  for (int item : committed_at_kill.front()) EXPECT_EQ(starts[item], 1) << "item " << item;
  std::cout << "items whose step ran more than once (in flight or not yet committed at a kill): " << repeated
            << "\n";
  std::filesystem::remove_all(dir);
}

}  // namespace
