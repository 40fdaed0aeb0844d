// The child process of worker_start_test and journal_files_test: a worker that waits for runs
// until SIGTERM. With a step count, it first starts one run of that many 20 ms steps (each
// writes its number to stdout once done). Usage: idle_worker <journal> <busy-timeout-ms> [steps]
#include <workflow/workflow.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

namespace {

int answer() {
  ::workflow::detail::workflow_entry("workflow//./test/crash//answer");
  return 42;
}

[[maybe_unused]] const bool answer_registered =
    ::workflow::detail::register_workflow<&answer>("workflow//./test/crash//answer");

int slow_step(int number) {
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::printf("%d\n", number);
  std::fflush(stdout);
  return number;
}

int slow_steps(int count) {
  ::workflow::detail::workflow_entry("workflow//./test/crash//slow_steps");
  int total = 0;
  for (int i = 1; i <= count; ++i) total += ::workflow::detail::step_call<&slow_step>("step//./test/crash//slow_step")(i);
  return total;
}

[[maybe_unused]] const bool slow_steps_registered =
    ::workflow::detail::register_workflow<&slow_steps>("workflow//./test/crash//slow_steps");
[[maybe_unused]] const bool slow_step_registered =
    ::workflow::detail::register_step<&slow_step>("step//./test/crash//slow_step");

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::fprintf(stderr, "usage: idle_worker <journal> <busy-timeout-ms> [steps]\n");
    return 2;
  }
  workflow::Config config;
  config.database = argv[1];
  config.store.busy_timeout = std::chrono::milliseconds(std::atoi(argv[2]));
  workflow::configure(config);
  if (argc == 4) workflow::start(workflow::StartOptions{.id = "slow-steps"}, slow_steps, std::atoi(argv[3]));
  int stopped_by = workflow::run_worker();
  return stopped_by == SIGTERM ? 0 : stopped_by == -1 ? 3 : 1;
}
