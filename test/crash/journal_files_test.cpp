// A worker whose journal's write-ahead log is removed under it (issue 13, defect 4): it notices
// within moments, copies the commits the removed log still holds into the journal file, and stops
// with a message naming the file, instead of writing on where nobody will read. Before, a
// SIGKILL after `rm journal.db-wal` lost every step result since the last checkpoint.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#ifndef IDLE_WORKER_PATH
#error "IDLE_WORKER_PATH must name the idle_worker executable"
#endif

namespace {

std::string read_file(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

int count_lines(const std::string& path) {
  auto text = read_file(path);
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

int completed_steps(const std::string& journal) {
  sqlite3* db = nullptr;
  if (sqlite3_open(journal.c_str(), &db) != SQLITE_OK) return -1;
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, "SELECT count(*) FROM events WHERE type = 'step_completed'", -1, &statement, nullptr);
  int count = statement && sqlite3_step(statement) == SQLITE_ROW ? sqlite3_column_int(statement, 0) : -1;
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return count;
}

TEST(JournalFilesTest, AWorkerWhoseLogIsRemovedRescuesItsCommitsAndStops) {
  auto dir = std::filesystem::temp_directory_path() / ("wf-journal-files-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::string journal = (dir / "journal.db").string(), done = (dir / "done.log").string(),
              errors = (dir / "worker.log").string();
  pid_t worker = fork();
  if (worker == 0) {
    dup2(open(done.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644), STDOUT_FILENO);
    dup2(open(errors.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644), STDERR_FILENO);
    execl(IDLE_WORKER_PATH, IDLE_WORKER_PATH, journal.c_str(), "5000", "1000", nullptr);
    _exit(127);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (count_lines(done) < 30 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_GE(count_lines(done), 30) << read_file(errors);
  // Read through the worker's own log while it is still there: these results are committed.
  int committed = completed_steps(journal);
  ASSERT_GT(committed, 0);
  std::filesystem::remove(journal + "-wal");

  int status = 0;
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (waitpid(worker, &status, WNOHANG) == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (waitpid(worker, &status, WNOHANG) == 0 && !WIFEXITED(status)) {
    kill(worker, SIGKILL);
    waitpid(worker, &status, 0);
    FAIL() << "the worker went on after its log was removed: " << read_file(errors);
  }
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 3) << status << " " << read_file(errors);
  auto log = read_file(errors);
  EXPECT_NE(log.find("write-ahead log '" + journal + "-wal' was removed"), std::string::npos) << log;
  EXPECT_NE(log.find("the commits it held were copied into the journal file"), std::string::npos) << log;
  // Without the rescue, a new reader sees only what was checkpointed before: nothing, here.
  EXPECT_GE(completed_steps(journal), committed);
  std::filesystem::remove_all(dir);
}

}  // namespace
