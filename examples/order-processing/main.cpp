// Order processing, end to end: one order is approved (an external event), woken up early from
// its cooling-off sleep and ships; another is cancelled while it waits for approval.
// `order_processing worker` instead executes orders started by other processes, and
// `order_processing wf ...` is the `wf` tool with this program's workflows at hand, which replay
// checks and upgrades need (docs/versioning.md).
#include "order_workflow.hpp"

#include <workflow/wf.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <filesystem>
#include <thread>

namespace {

// Waits until the run sleeps (status `waiting`), as an operator watching it would.
void wait_until_waiting(const workflow::Run<shop::Receipt>& run) {
  for (int i = 0; i < 500 && run.status() != workflow::RunStatus::waiting; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// Waits until the run's journal holds an event of `type`.
void wait_for_journal(const workflow::Run<shop::Receipt>& run, const std::string& type) {
  for (int i = 0; i < 500; ++i) {
    for (const auto& event : run.events()) {
      if (event.type == type) return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc > 1 && std::string(argv[1]) == "wf") return workflow::wf_main(argc - 1, argv + 1);
  if (argc == 2 && std::string(argv[1]) == "worker") {
    // Executes orders started elsewhere (`wf runs start`, the REST API) until SIGINT or SIGTERM.
    auto config = workflow::default_config();
    if (std::getenv("WORKFLOW_DATABASE") == nullptr) config.database = "order-processing.db";
    workflow::configure(config);
    // One order at a time for runs started into this queue (`wf runs start --queue orders`).
    workflow::declare_queue("orders", {.concurrency = 1});
    std::printf("order-processing: worker executing runs from %s; Ctrl-C stops it\n",
                workflow::printable_database(config.database).c_str());
    std::fflush(stdout);
    return workflow::run_worker() < 0 ? 1 : 0;
  }
  if (argc != 1) {
    std::fprintf(stderr, "usage: order_processing          (the demo)\n       order_processing worker   (a worker)\n"
                         "       order_processing wf ...   (wf with this program's workflows)\n");
    return 2;
  }
  std::filesystem::remove("order-processing.db");
  std::filesystem::remove("order-processing.db-wal");
  workflow::configure({.database = "order-processing.db"});

  std::printf("order A: charge, reserve, coupon (fatal), approval (an event), a one-hour cooling-off sleep,"
              " carrier (flaky)\n");
  auto first = workflow::start(shop::process_order, shop::Order{"A-100", "ann@example.com", 4200, {"lamp", "desk"}});
  wait_until_waiting(first);
  std::printf("  run %s is %s for approval; sending it\n", first.run_id().c_str(),
              std::string(to_string(first.status())).c_str());
  first.send_event("approval", std::string("carol"));
  wait_for_journal(first, "wait_created");  // the cooling-off sleep has begun
  std::printf("  run %s is %s; waking it up: %zu sleep(s) ended\n", first.run_id().c_str(),
              std::string(to_string(first.status())).c_str(), first.wake_up());
  shop::Receipt receipt = first.return_value();
  std::printf("  receipt: %s\n\n", nlohmann::json(receipt).dump().c_str());

  std::printf("order B: cancelled while it waits for approval\n");
  auto second = workflow::start(shop::process_order, shop::Order{"B-200", "bob@example.com", 990, {"pen"}});
  wait_until_waiting(second);
  second.cancel();
  try {
    second.return_value();
    std::printf("  unexpected: order B completed\n");
    return 1;
  } catch (const workflow::RunCancelledError& error) {
    std::printf("  run %s is %s: %s\n", second.run_id().c_str(), std::string(to_string(second.status())).c_str(),
                error.what());
  }
  std::printf("\norder-processing: done\n");
  return 0;
} catch (const workflow::Error& error) {
  // An unusable journal (damaged, removed, locked past the busy timeout) is a message, not an abort.
  std::fprintf(stderr, "orders: %s\n", error.what());
  return 1;
}
