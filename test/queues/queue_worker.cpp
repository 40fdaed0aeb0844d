// A worker process of the queue acceptance test: executes queued_job runs of the shared journal
// until SIGTERM. Usage: queue_worker <database> <deployment>
#include <csignal>
#include <cstdio>

#include "queue_workload.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: queue_worker <database> <deployment>\n");
    return 2;
  }
  queue_acceptance::register_workload();
  workflow::Config config;
  config.database = argv[1];
  config.deployment_id = argv[2];
  config.workers = 8;
  try {
    workflow::configure(config);
    int stopped_by = workflow::run_worker();
    return stopped_by == SIGTERM ? 0 : 1;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "queue_worker: %s\n", error.what());
    return 3;
  }
}
