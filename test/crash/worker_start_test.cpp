// A worker started while another process holds the journal's write lock for longer than the busy
// timeout waits for the lock (saying so on stderr) and starts once it is free, instead of dying.
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

pid_t spawn_worker(const std::string& journal, const std::string& stderr_path) {
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, STDERR_FILENO);
    execl(IDLE_WORKER_PATH, IDLE_WORKER_PATH, journal.c_str(), "100", nullptr);
    _exit(127);
  }
  return pid;
}

std::string read_file(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// The workflows idle_worker registers.
constexpr int kIdleWorkerWorkflows = 2;

int registered_workflows(sqlite3* db) {
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, "SELECT count(*) FROM workflows", -1, &statement, nullptr);
  int count = sqlite3_step(statement) == SQLITE_ROW ? sqlite3_column_int(statement, 0) : -1;
  sqlite3_finalize(statement);
  return count;
}

void exec(sqlite3* db, const char* sql) { ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sql; }

int stop(pid_t pid) {
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

// A journal that a first worker created and registered its workflow in, opened here.
class WorkerStartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("wf-worker-start-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    journal_ = (dir_ / "journal.db").string();
    log_ = (dir_ / "worker.log").string();
    pid_t first = spawn_worker(journal_, log_);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (!db_ && std::filesystem::exists(journal_)) sqlite3_open(journal_.c_str(), &db_);
      if (db_ && registered_workflows(db_) == kIdleWorkerWorkflows) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(db_);
    ASSERT_EQ(registered_workflows(db_), kIdleWorkerWorkflows) << read_file(log_);
    ASSERT_EQ(stop(first), 0) << read_file(log_);
    sqlite3_busy_timeout(db_, 5000);
  }
  void TearDown() override {
    if (db_) sqlite3_close(db_);
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::string journal_, log_;
  sqlite3* db_ = nullptr;
};

TEST_F(WorkerStartTest, WaitsForAJournalLockedLongerThanTheBusyTimeout) {
  // Another program holds the write lock for 20 busy timeouts while the next worker starts.
  exec(db_, "BEGIN IMMEDIATE");
  exec(db_, "DELETE FROM workflows");
  pid_t worker = spawn_worker(journal_, log_);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  ASSERT_EQ(waitpid(worker, nullptr, WNOHANG), 0) << "the worker died: " << read_file(log_);
  EXPECT_NE(read_file(log_).find("is locked by another connection or process"), std::string::npos)
      << read_file(log_);
  EXPECT_NE(read_file(log_).find("waiting until it is free"), std::string::npos) << read_file(log_);
  exec(db_, "COMMIT");

  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  auto started = [&] { return read_file(log_).find("journal available, started") != std::string::npos; };
  while (!started() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(started()) << read_file(log_);
  EXPECT_EQ(registered_workflows(db_), kIdleWorkerWorkflows) << read_file(log_);
  EXPECT_EQ(stop(worker), 0) << read_file(log_);
}

TEST_F(WorkerStartTest, StopsWhileStillWaitingForTheJournal) {
  exec(db_, "BEGIN IMMEDIATE");
  exec(db_, "DELETE FROM workflows");
  pid_t worker = spawn_worker(journal_, log_);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  int status = stop(worker);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << " " << read_file(log_);
  exec(db_, "ROLLBACK");
  EXPECT_EQ(registered_workflows(db_), kIdleWorkerWorkflows);  // the waiting worker wrote nothing
}

}  // namespace
