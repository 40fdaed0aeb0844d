// The main job of the README's first command: a workflow survives its process being killed.
//
// The demo starts a worker process that runs an order workflow of five steps, kills it with
// SIGKILL in the middle of the third step, starts a second worker on the same journal, and shows
// that the second worker resumes the run: the first two steps are answered from the journal and
// not run again, and the run ends with the right result.
#include <workflow/workflow.hpp>

#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <filesystem>
#include <iostream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace {

struct Order {
  std::string id;
  int cents;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Order, id, cents)

std::string step_body(const std::string& name, const std::string& result) {
  std::printf("  [worker %d] %-16s running (attempt %d) ...\n", getpid(), name.c_str(),
              workflow::step_metadata().attempt);
  std::fflush(stdout);
  // The work takes 400 ms, unless the step is asked to stop first (a cancel of the run, say).
  std::mutex mutex;
  std::condition_variable_any finished_early;
  std::unique_lock lock(mutex);
  finished_early.wait_for(lock, workflow::step_metadata().stop_token, std::chrono::milliseconds(400),
                          [] { return false; });
  if (workflow::stop_requested()) throw std::runtime_error(name + " was stopped");
  std::printf("  [worker %d] %-16s done -> %s\n", getpid(), name.c_str(), result.c_str());
  std::fflush(stdout);
  return result;
}

[[workflow::step]] std::string charge_card(Order order) { return step_body("charge_card", "ch_" + order.id); }
[[workflow::step]] std::string reserve_stock(Order order) { return step_body("reserve_stock", "rsv_" + order.id); }
[[workflow::step]] std::string create_shipment(Order order) { return step_body("create_shipment", "shp_" + order.id); }
[[workflow::step]] std::string send_receipt(std::string charge) { return step_body("send_receipt", "sent:" + charge); }
[[workflow::step]] std::string close_order(Order order) { return step_body("close_order", "closed_" + order.id); }

// Each step call below is journaled: wfc (run by target_workflow_sources in CMakeLists.txt)
// rewrites it into a dispatch call that returns the recorded result when the run replays.
[[workflow::workflow]] std::string process_order(Order order) {
  auto charge = charge_card(order);
  auto reservation = reserve_stock(order);
  auto shipment = create_shipment(order);
  send_receipt(charge);
  close_order(order);
  return charge + " " + reservation + " " + shipment;
}

int run_worker(const std::string& journal) {
  workflow::configure({.database = journal});
  // Starting with a fixed ID is idempotent: the second worker gets the run the first one began.
  auto run = workflow::start(workflow::StartOptions{.id = "order-1001"}, process_order, Order{"1001", 4200});
  std::printf("  [worker %d] run %s is %s\n", getpid(), run.run_id().c_str(),
              std::string(to_string(run.status())).c_str());
  std::fflush(stdout);
  std::string result = run.return_value();
  std::printf("  [worker %d] run finished: %s\n", getpid(), result.c_str());
  return 0;
}

pid_t spawn_worker(const char* self, const std::string& journal, int* output) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) std::exit(1);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    close(pipe_fds[0]);
    execl(self, self, "--worker", journal.c_str(), nullptr);
    _exit(127);
  }
  close(pipe_fds[1]);
  *output = pipe_fds[0];
  return pid;
}

// Echoes the worker's lines; returns once `stop_at` appears (or the worker ends).
void relay_until(FILE* worker, const std::string& stop_at) {
  char line[512];
  while (std::fgets(line, sizeof line, worker)) {
    std::fputs(line, stdout);
    std::fflush(stdout);
    if (!stop_at.empty() && std::string(line).find(stop_at) != std::string::npos) return;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--worker") return run_worker(argv[2]);
  auto journal = (std::filesystem::current_path() / "durable-demo.db").string();
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(journal + suffix);

  std::printf("workflow-cpp demo: a five-step order workflow survives a crash\n");
  std::printf("journal: %s\n\n", journal.c_str());
  std::printf("1. A worker process starts run order-1001.\n");
  int output = -1;
  pid_t first = spawn_worker(argv[0], journal, &output);
  FILE* first_output = fdopen(output, "r");
  relay_until(first_output, "create_shipment  running");
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  kill(first, SIGKILL);
  waitpid(first, nullptr, 0);
  std::fclose(first_output);
  std::printf("\n2. Killed worker %d with SIGKILL in the middle of create_shipment.\n\n", first);

  std::printf("3. A new worker process starts on the same journal and resumes the run.\n");
  pid_t second = spawn_worker(argv[0], journal, &output);
  FILE* second_output = fdopen(output, "r");
  relay_until(second_output, "");
  int status = 0;
  waitpid(second, &status, 0);
  std::fclose(second_output);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::printf("the second worker failed\n");
    return 1;
  }

  workflow::configure({.database = journal, .execute_runs = false});
  auto run = workflow::get_run("order-1001");
  std::printf("\n4. The journal of run %s (%s):\n", run.run_id().c_str(),
              std::string(to_string(run.status())).c_str());
  for (const auto& event : run.events()) {
    if (event.type != "step_completed") continue;
    auto name = event.step_name.substr(event.step_name.rfind("//") + 2);
    std::printf("   %-7s %-16s completed once -> %s\n", event.correlation_id.c_str(), name.c_str(),
                event.data["result"].dump().c_str());
  }
  std::printf("   result: %s\n", run.return_value().dump().c_str());
  std::printf("\ncharge_card and reserve_stock ran once, in the first worker; the second worker\n"
              "replayed them from the journal and ran only create_shipment (interrupted) onwards.\n");
  return 0;
}
