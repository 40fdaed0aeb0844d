// The worker of the scale-out test: one of several processes (stand-ins for machines) that execute
// the runs of one shared journal until SIGTERM. Written with the dispatch calls wfc would emit.
// Each step body appends `<pid> start|end <run> <call> <ns> <attempt> <recoveries>` to a shared
// side log, so the driver can tell which bodies ran more than once, and where two overlapped.
// Usage: scale_out_worker <database> <step-log> <deployment> <lease-ms> <threads>
#include "scale_out_protocol.hpp"

#include <workflow/workflow.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>

namespace {

int g_log = -1;

void log_line(const char* what, const std::string& run, int call) {
  std::string line = std::to_string(getpid()) + " " + what + " " + run + " " + std::to_string(call) + " " +
                     std::to_string(scale_out::monotonic_ns()) + " " +
                     std::to_string(workflow::step_metadata().attempt) + " " +
                     std::to_string(workflow::workflow_metadata().recovery_count) + "\n";
  // O_APPEND writes of a short line are atomic, and survive SIGKILL (the kernel holds them).
  if (write(g_log, line.data(), line.size()) != static_cast<ssize_t>(line.size())) std::abort();
}

int mix_step(std::string run, int call, int value) {
  log_line("start", run, call);
  thread_local std::mt19937 random{std::random_device{}()};
  // Mostly a few milliseconds; one longer step per run, so that kills often land inside a body.
  auto micros = call == scale_out::kLongCall ? 20000 + random() % 40000 : random() % 4000;
  std::this_thread::sleep_for(std::chrono::microseconds(micros));
  log_line("end", run, call);
  return scale_out::mix(value, call);
}

int pipeline(std::string run, int seed) {
  ::workflow::detail::workflow_entry(scale_out::kWorkflowId);
  int value = seed;
  for (int call = 1; call <= scale_out::kSteps; ++call) {
    value = ::workflow::detail::step_call<&mix_step>(scale_out::kStepId)(run, call, value);
    if (call == scale_out::kSleepAfter) workflow::sleep(scale_out::first_sleep(seed));
    if (call == scale_out::kTimeoutAfter && scale_out::waits_for_unsent_event(seed)) {
      try {
        workflow::wait_for_event<int>(scale_out::kUnsentEvent, scale_out::unsent_event_timeout(seed));
        value = 0;  // nobody sends it: a wrong result if it ever arrives
      } catch (const workflow::TimeoutError&) {
        value = scale_out::mix(value, -1);
      }
    }
    if (call == scale_out::kEventAfter)
      value = scale_out::mix(value, workflow::wait_for_event<int>(scale_out::kEvent, std::chrono::minutes(30)));
    if (call == scale_out::kSecondSleepAfter && seed % 2 == 1) workflow::sleep(scale_out::second_sleep(seed));
  }
  return value;
}

[[maybe_unused]] const bool pipeline_registered =
    ::workflow::detail::register_workflow<&pipeline>(scale_out::kWorkflowId);
[[maybe_unused]] const bool mix_step_registered = ::workflow::detail::register_step<&mix_step>(scale_out::kStepId);

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: scale_out_worker <database> <step-log> <deployment> <lease-ms> <threads>\n");
    return 2;
  }
  g_log = open(argv[2], O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (g_log < 0) return 2;
  // The driver appends every worker of a slot to one output file: this line starts each one's part.
  std::fprintf(stderr, "--- worker %d starts\n", static_cast<int>(getpid()));
  workflow::Config config;
  config.database = argv[1];
  config.deployment_id = argv[3];
  config.lease = std::chrono::milliseconds(std::atoi(argv[4]));
  config.workers = static_cast<unsigned>(std::atoi(argv[5]));
  // A worker (re)started while the server restarts should not wait long for it.
  config.store.connect_timeout = std::chrono::milliseconds(3000);
  try {
    workflow::configure(config);
    int stopped_by = workflow::run_worker();
    if (stopped_by < 0) return 3;  // the journal could not be opened; run_worker said why
    return stopped_by == SIGTERM ? 0 : 1;
  } catch (const std::exception& error) {
    // Not the test's verdict: the driver counts such exits, reports them and starts the worker again.
    std::fprintf(stderr, "scale_out_worker %d: %s\n", static_cast<int>(getpid()), error.what());
    return 3;
  }
}
