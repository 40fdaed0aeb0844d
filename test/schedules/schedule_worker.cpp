// A worker process of the schedule acceptance tests: declares its schedules at start, as a
// service would, then executes runs until SIGTERM. Each run of `stamp` records its own run ID in
// its output, so the driver checks from the journal which ticks started a run and that each ran.
// With a hold log, every transaction that fires a tick waits `hold-ms` before its commit after
// appending `<pid>` to the log: the driver kills the process in that window (mid-tick).
// Usage: schedule_worker <database> <hold-log|-> <hold-ms> <name,spec,overlap,catch_up,grace-s,window-s>...
#include "fault_injecting_store.hpp"

#include <workflow/workflow.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <sstream>
#include <thread>

namespace {

constexpr const char* kStampId = "workflow//./test/schedules//stamp";

std::string stamp() {
  ::workflow::detail::workflow_entry(kStampId);
  return workflow::workflow_metadata().run_id;
}
[[maybe_unused]] const bool stamp_registered = ::workflow::detail::register_workflow<&stamp>(kStampId);

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  for (std::string part; std::getline(stream, part, separator);) parts.push_back(part);
  return parts;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: schedule_worker <database> <hold-log|-> <hold-ms> <name,spec,overlap,catch_up,grace-s,window-s>...\n");
    return 2;
  }
  std::fprintf(stderr, "--- worker %d starts\n", static_cast<int>(getpid()));
  std::string hold_log = argv[2];
  int hold_ms = std::atoi(argv[3]);
  if (hold_log != "-") {
    int log = open(hold_log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log < 0) return 2;
    auto faults = std::make_shared<workflow::test_support::FaultInjectingStore::Faults>();
    faults->before_schedule_commit = [log, hold_ms] {
      auto line = std::to_string(getpid()) + "\n";
      if (write(log, line.data(), line.size()) != static_cast<ssize_t>(line.size())) std::abort();
      std::this_thread::sleep_for(std::chrono::milliseconds(hold_ms));
    };
    workflow::detail::set_store_decorator([faults](std::unique_ptr<workflow::detail::JournalStore> inner) {
      return std::make_unique<workflow::test_support::FaultInjectingStore>(std::move(inner), faults);
    });
  }
  workflow::Config config;
  config.database = argv[1];
  config.deployment_id = "schedule-test";
  config.workers = 4;
  config.lease = std::chrono::milliseconds(3000);
  try {
    workflow::configure(config);
    for (int i = 4; i < argc; ++i) {
      auto fields = split(argv[i], ',');
      if (fields.size() != 6) {
        std::fprintf(stderr, "schedule_worker: bad schedule '%s'\n", argv[i]);
        return 2;
      }
      workflow::schedule_by_id(fields[0], kStampId, workflow::Json::array(),
                               {.spec = fields[1],
                                .overlap = workflow::parse_overlap_policy(fields[2]),
                                .catch_up = workflow::parse_catch_up_policy(fields[3]),
                                .catch_up_window = std::chrono::seconds(std::stoi(fields[5])),
                                .grace = std::chrono::seconds(std::stoi(fields[4]))});
    }
    int stopped_by = workflow::run_worker();
    if (stopped_by < 0) return 3;
    return stopped_by == SIGTERM ? 0 : 1;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "schedule_worker %d: %s\n", static_cast<int>(getpid()), error.what());
    return 3;
  }
}
