// The child process of parallel_map_crash_test: runs (or resumes) the run `map`, a parallel_map
// over <items> items, to its end. Each item's step logs "<pid> start|end <item>" to a side file,
// so the parent can tell which step bodies ran more than once.
// Usage: parallel_map_worker <journal> <log> <items>
#include <workflow/workflow.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <string>
#include <thread>

namespace {

int g_log = -1;

void log_line(const char* what, int item) {
  std::string line = std::to_string(getpid()) + " " + what + " " + std::to_string(item) + "\n";
  // O_APPEND writes of a short line are atomic, and survive SIGKILL (the kernel holds them).
  if (write(g_log, line.data(), line.size()) != static_cast<ssize_t>(line.size())) std::abort();
}

int triple(int item) {
  log_line("start", item);
  // Long enough that the parent can kill the process half-way through the items.
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  log_line("end", item);
  return 3 * item;
}

std::vector<int> fan_out(int items) {
  ::workflow::detail::workflow_entry("workflow//./test/crash//fan_out");
  std::vector<int> numbers(items);
  std::iota(numbers.begin(), numbers.end(), 0);
  return workflow::parallel_map(numbers, [](const int& item) {
    return ::workflow::detail::step_call<&triple>("step//./test/crash//triple")(item);
  });
}

[[maybe_unused]] const bool fan_out_registered =
    ::workflow::detail::register_workflow<&fan_out>("workflow//./test/crash//fan_out");
[[maybe_unused]] const bool triple_registered = ::workflow::detail::register_step<&triple>("step//./test/crash//triple");

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: parallel_map_worker <journal> <log> <items>\n");
    return 2;
  }
  g_log = open(argv[2], O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (g_log < 0) return 2;
  int items = std::atoi(argv[3]);
  workflow::Config config;
  config.database = argv[1];
  workflow::configure(config);
  // Starting again with the ID of a live run returns that run: this process resumes it.
  auto run = workflow::start(workflow::StartOptions{.id = "map"}, fan_out, items);
  auto results = run.return_value();
  if (results.size() != static_cast<std::size_t>(items)) return 1;
  for (int item = 0; item < items; ++item) {
    if (results[item] != 3 * item) {
      std::fprintf(stderr, "wrong result for item %d: %d\n", item, results[item]);
      return 1;
    }
  }
  return 0;
}
