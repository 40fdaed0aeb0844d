// W7: 2,000 runs shared by 1, 2, 4 worker processes on one PostgreSQL journal.
#include "multi_worker_bench.hpp"

#include <workflow/workflow.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

int sequential_steps(int count);  // runtime_bench.cpp

namespace bench {
namespace {

constexpr int kRuns = 2000;
constexpr int kStepsPerRun = 10;

struct Worker {
  pid_t pid = -1;
  FILE* output = nullptr;
};

Worker spawn_worker(const char* self, const std::string& url) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    execl(self, self, "--worker", url.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(pipe_fds[1]);
  Worker worker{pid, fdopen(pipe_fds[0], "r")};
  char line[64] = {};
  if (!fgets(line, sizeof line, worker.output) || std::string(line) != "ready\n")
    throw std::runtime_error("a W7 worker did not start");
  return worker;
}

double measure(BenchJournals& journals, const char* self, unsigned worker_count) {
  auto url = journals.fresh_url("w7_" + std::to_string(worker_count));
  workflow::shutdown();
  workflow::Config config;
  config.database = url;
  config.execute_runs = false;  // the workers execute; this process only starts and waits
  workflow::configure(config);
  workflow::get_run("warm-up").exists();
  std::vector<Worker> workers;
  for (unsigned i = 0; i < worker_count; ++i) workers.push_back(spawn_worker(self, url));
  auto begin = std::chrono::steady_clock::now();
  std::vector<workflow::Run<int>> runs;
  {
    std::vector<std::thread> starters;
    std::mutex runs_mutex;
    for (int t = 0; t < 10; ++t)
      starters.emplace_back([&] {
        for (int i = 0; i < kRuns / 10; ++i) {
          auto run = workflow::start(sequential_steps, kStepsPerRun);
          std::lock_guard lock(runs_mutex);
          runs.push_back(run);
        }
      });
    for (auto& starter : starters) starter.join();
  }
  for (auto& run : runs)
    if (run.return_value() != kStepsPerRun) throw std::runtime_error("W7: wrong result");
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  for (auto& worker : workers) kill(worker.pid, SIGTERM);
  for (auto& worker : workers) {
    waitpid(worker.pid, nullptr, 0);
    fclose(worker.output);
  }
  workflow::shutdown();
  return kRuns * kStepsPerRun / seconds;
}

}  // namespace

std::vector<WorkerScaling> multi_worker_scaling(BenchJournals& journals, const char* self,
                                                const std::vector<unsigned>& worker_counts) {
  std::vector<WorkerScaling> result;
  for (unsigned count : worker_counts) result.push_back({count, measure(journals, self, count)});
  return result;
}

int run_bench_worker(const char* url) {
  workflow::Config config;
  config.database = url;
  workflow::configure(config);
  workflow::get_run("warm-up").exists();  // the engine is up and has registered its workflows
  std::printf("ready\n");
  std::fflush(stdout);
  workflow::run_worker();
  return 0;
}

}  // namespace bench
