// The child process of crash_test: runs three multi-step workflows of one generation to the end.
// Each step logs "<pid> start|end <run> <step>" to a side file so the parent can tell which step
// bodies ran more than once. Usage: crash_worker <journal> <log> <generation> [step-ms]
// (step-ms: each step body takes that long instead of 0-3 ms, so runs can be controlled mid-way)
#include <workflow/workflow.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>

namespace {

int g_log = -1;
int g_step_ms = -1;

void log_line(const std::string& what, const std::string& run, int step) {
  std::string line = std::to_string(getpid()) + " " + what + " " + run + " " + std::to_string(step) + "\n";
  // O_APPEND writes of a short line are atomic, and survive SIGKILL (the kernel holds them).
  if (write(g_log, line.data(), line.size()) != static_cast<ssize_t>(line.size())) std::abort();
}

int work(std::string run, int step) {
  log_line("start", run, step);
  thread_local std::mt19937 random{std::random_device{}()};
  if (g_step_ms >= 0) std::this_thread::sleep_for(std::chrono::milliseconds(g_step_ms));
  else std::this_thread::sleep_for(std::chrono::microseconds(random() % 3000));
  log_line("end", run, step);
  return step * step;
}

int pipeline(std::string run, int steps) {
  ::workflow::detail::workflow_entry("workflow//./test/crash//pipeline");
  int total = 0;
  for (int step = 1; step <= steps; ++step) {
    total += ::workflow::detail::step_call<&work>("step//./test/crash//work")(run, step);
    if (step == steps / 2) workflow::sleep(std::chrono::milliseconds(5));
  }
  return total;
}

[[maybe_unused]] const bool pipeline_registered =
    ::workflow::detail::register_workflow<&pipeline>("workflow//./test/crash//pipeline");
[[maybe_unused]] const bool work_registered =
    ::workflow::detail::register_step<&work>("step//./test/crash//work");

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4 && argc != 5) {
    std::fprintf(stderr, "usage: crash_worker <journal> <log> <generation> [step-ms]\n");
    return 2;
  }
  if (argc == 5) g_step_ms = std::atoi(argv[4]);
  g_log = open(argv[2], O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (g_log < 0) return 2;
  workflow::Config config;
  config.database = argv[1];
  workflow::configure(config);
  std::vector<workflow::Run<int>> runs;
  for (int i = 0; i < 3; ++i) {
    std::string id = std::string("gen") + argv[3] + "-run" + std::to_string(i);
    runs.push_back(workflow::start(workflow::StartOptions{.id = id}, pipeline, id, 12));
  }
  for (auto& run : runs) {
    if (run.return_value() != 650) {  // 1² + ... + 12²
      std::fprintf(stderr, "wrong result for %s\n", run.run_id().c_str());
      return 1;
    }
  }
  return 0;
}
