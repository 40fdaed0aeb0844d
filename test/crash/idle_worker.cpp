// The child process of worker_start_test: a worker with one workflow that waits for runs until
// SIGTERM. Usage: idle_worker <journal> <busy-timeout-ms>
#include <workflow/workflow.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

int answer() {
  ::workflow::detail::workflow_entry("workflow//./test/crash//answer");
  return 42;
}

[[maybe_unused]] const bool answer_registered =
    ::workflow::detail::register_workflow<&answer>("workflow//./test/crash//answer");

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: idle_worker <journal> <busy-timeout-ms>\n");
    return 2;
  }
  workflow::Config config;
  config.database = argv[1];
  config.store.busy_timeout = std::chrono::milliseconds(std::atoi(argv[2]));
  workflow::configure(config);
  return workflow::run_worker() == SIGTERM ? 0 : 1;
}
