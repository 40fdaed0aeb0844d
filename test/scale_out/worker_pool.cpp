// Starting, killing, stalling and stopping the scale-out test's worker processes.
#include "worker_pool.hpp"

#include "scale_out_protocol.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <deque>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace scale_out {

WorkerPool::WorkerPool(std::vector<std::string> command, std::filesystem::path output_dir, int slots)
    : command_(std::move(command)), output_dir_(std::move(output_dir)), pids_(slots, 0) {}

WorkerPool::~WorkerPool() {
  for (int slot = 0; slot < slots(); ++slot)
    if (occupied(slot)) kill(slot);
}

void WorkerPool::spawn(int slot) {
  if (occupied(slot)) throw std::logic_error("worker slot " + std::to_string(slot) + " is occupied");
  // Everything the child needs is prepared before fork: this process has threads (its engine), so
  // the child may only make async-signal-safe calls until exec.
  std::string output = (output_dir_ / ("worker-" + std::to_string(slot) + ".log")).string();
  std::string directory = output_dir_.string();
  std::vector<char*> argv;
  for (auto& part : command_) argv.push_back(part.data());
  argv.push_back(nullptr);
  std::int64_t started = monotonic_ns();
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int fd = open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
    }
    if (chdir(directory.c_str()) != 0) _exit(126);
    execv(argv[0], argv.data());
    _exit(127);
  }
  if (lives_.count(pid)) throw std::runtime_error("process ID " + std::to_string(pid) + " was reused");
  pids_[slot] = pid;
  auto& life = lives_[pid];
  life.slot = slot;
  life.started_ns = started;
}

std::string WorkerPool::output_tail(pid_t pid, std::size_t lines) const {
  auto life = lives_.find(pid);
  if (life == lives_.end()) return {};
  std::ifstream in(output_dir_ / ("worker-" + std::to_string(life->second.slot) + ".log"));
  std::string banner = "--- worker " + std::to_string(pid) + " starts";
  std::deque<std::string> tail;
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("--- worker ", 0) == 0) inside = line == banner;
    if (!inside) continue;
    tail.push_back(line);
    if (tail.size() > lines) tail.pop_front();
  }
  std::string text;
  for (auto& line : tail) text += line + "\n";
  return text;
}

void WorkerPool::ended(int slot, std::int64_t at, bool killed, std::optional<int> status) {
  auto& life = lives_.at(pids_[slot]);
  life.ended_ns = at;
  life.killed = killed;
  life.unexpected_status = status;
  if (!life.stalls.empty() && life.stalls.back().second == 0) life.stalls.back().second = at;
  pids_[slot] = 0;
}

void WorkerPool::kill(int slot) {
  pid_t pid = pids_[slot];
  // Taken before the signal: the process runs no code after it, so any step interval it left
  // open ends here at the latest.
  std::int64_t at = monotonic_ns();
  ::kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  // A worker that had exited by itself before the signal is an unexpected exit, not a kill.
  bool by_us = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  if (by_us) ++kills_;
  else ++unexpected_exits_;
  ended(slot, at, by_us, by_us ? std::nullopt : std::optional<int>(status));
}

void WorkerPool::stall(int slot) {
  lives_.at(pids_[slot]).stalls.emplace_back(monotonic_ns(), 0);
  ::kill(pids_[slot], SIGSTOP);
  ++stalls_;
}

void WorkerPool::resume(int slot) {
  ::kill(pids_[slot], SIGCONT);
  auto& life = lives_.at(pids_[slot]);
  if (!life.stalls.empty() && life.stalls.back().second == 0) life.stalls.back().second = monotonic_ns();
}

int WorkerPool::reap_unexpected_exits() {
  int reaped = 0;
  for (int slot = 0; slot < slots(); ++slot) {
    if (!occupied(slot)) continue;
    int status = 0;
    if (waitpid(pids_[slot], &status, WNOHANG) != pids_[slot]) continue;
    ++unexpected_exits_;
    ++reaped;
    ended(slot, monotonic_ns(), false, status);
  }
  return reaped;
}

std::vector<std::string> WorkerPool::terminate(std::chrono::seconds limit) {
  for (int slot = 0; slot < slots(); ++slot) {
    if (!occupied(slot)) continue;
    ::kill(pids_[slot], SIGCONT);
    ::kill(pids_[slot], SIGTERM);
  }
  std::vector<std::string> failures;
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (int slot = 0; slot < slots(); ++slot) {
    if (!occupied(slot)) continue;
    std::string worker = "worker " + std::to_string(pids_[slot]) + " (slot " + std::to_string(slot) + ")";
    int status = 0;
    bool hung = false;
    while (waitpid(pids_[slot], &status, WNOHANG) != pids_[slot]) {
      if (std::chrono::steady_clock::now() >= deadline) {
        failures.push_back(worker + " did not stop within " + std::to_string(limit.count()) +
                           " s of SIGTERM; its last output:\n" + output_tail(pids_[slot], 20));
        hung = true;
        ::kill(pids_[slot], SIGABRT);  // a core dump, if enabled, shows where it hung
        waitpid(pids_[slot], &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    // A worker started a moment ago may not have installed its handler yet: SIGTERM ends it then.
    bool clean = (WIFEXITED(status) && WEXITSTATUS(status) == 0) ||
                 (WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    if (!clean && !hung)
      failures.push_back(worker + (WIFEXITED(status) ? " exited with " + std::to_string(WEXITSTATUS(status))
                                                      : " died of signal " + std::to_string(WTERMSIG(status))) +
                         " after SIGTERM; its last output:\n" + output_tail(pids_[slot], 20));
    ended(slot, monotonic_ns(), false, std::nullopt);
  }
  return failures;
}

}  // namespace scale_out
