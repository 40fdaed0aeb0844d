// The e2e program. `e2e_orders run <journal> <log> <runs>` starts runs order-0..N-1 (idempotent:
// a restarted process gets the runs its predecessor began) and waits for them; `verify <journal>
// <runs>` prints each run's result, its event deliveries and, per step call, how many completions
// the journal holds, and its progress stream; `send <journal> <run> <type> <payload>` delivers an external event.
#include "orders.h"

#include <cstdio>
#include <map>
#include <string>

namespace {

shop::Order order_number(int i) {
  return shop::Order{"o" + std::to_string(i), {"book", "lamp", "pen", "cup", "map", "ink", "bag", "key"}, 1000 + i};
}

int run(const std::string& journal, const std::string& log, int runs) {
  shop::set_execution_log(log);
  workflow::configure({.database = journal});
  std::vector<workflow::Run<std::string>> started;
  for (int i = 0; i < runs; ++i) {
    started.push_back(workflow::start(workflow::StartOptions{.id = "order-" + std::to_string(i)},
                                      shop::fulfil_order, order_number(i)));
  }
  for (auto& handle : started) std::printf("%s %s\n", handle.run_id().c_str(), handle.return_value().c_str());
  return 0;
}

int send(const std::string& journal, const std::string& run_id, const std::string& type, const std::string& payload) {
  workflow::configure({.database = journal, .execute_runs = false});
  try {
    workflow::get_run(run_id).send_event(type, payload);
  } catch (const workflow::RunNotFoundError& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 3;  // not started yet: the driver tries again later
  }
  return 0;
}

int verify(const std::string& journal, int runs) {
  workflow::configure({.database = journal, .execute_runs = false});
  for (int i = 0; i < runs; ++i) {
    auto handle = workflow::get_run("order-" + std::to_string(i));
    std::printf("result %s %s %s\n", handle.run_id().c_str(), std::string(to_string(handle.status())).c_str(),
                handle.return_value().dump().c_str());
    std::map<std::string, int> completions;
    int deliveries = 0;
    for (const auto& event : handle.events()) {
      if (event.type == "event_received" && !event.correlation_id.empty()) ++deliveries;
      if (event.type == "step_completed" || event.type == "step_failed") ++completions[event.correlation_id];
    }
    std::printf("delivered %s %d\n", handle.run_id().c_str(), deliveries);
    for (const auto& event : handle.events()) {
      if (event.type != "child_started") continue;
      auto child = workflow::get_run(event.data.value("child_run_id", std::string()));
      int child_completions = 0;
      for (const auto& child_event : child.events()) child_completions += child_event.type == "step_completed";
      std::printf("child %s %s %s %s %d\n", handle.run_id().c_str(), child.run_id().c_str(),
                  std::string(to_string(child.status())).c_str(), child.parent_run_id().value_or("-").c_str(),
                  child_completions);
    }
    std::string chunks;
    for (const auto& chunk : handle.get_readable({.name_space = "progress"}))
      chunks += (chunks.empty() ? "" : ",") + chunk.get<std::string>();
    std::printf("stream %s %s\n", handle.run_id().c_str(), chunks.c_str());
    for (const auto& [call, count] : completions) {
      std::printf("recorded %s %s %d\n", handle.run_id().c_str(), call.c_str(), count);
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "run" && argc == 5) return run(argv[2], argv[3], std::stoi(argv[4]));
  if (mode == "verify" && argc == 4) return verify(argv[2], std::stoi(argv[3]));
  if (mode == "send" && argc == 6) return send(argv[2], argv[3], argv[4], argv[5]);
  std::fprintf(stderr,
               "usage: e2e_orders run <journal> <log> <runs> | verify <journal> <runs> |"
               " send <journal> <run> <type> <payload>\n");
  return 2;
}
