// workflow::run_worker: a process that only executes runs, until an operator stops it.
#include <workflow/config.hpp>

#include "engine/engine.hpp"

#include <atomic>
#include <csignal>
#include <thread>

namespace workflow {
namespace {

std::atomic<int> g_stop_signal{0};

extern "C" void record_stop_signal(int signal) { g_stop_signal = signal; }

}  // namespace

int run_worker() {
  g_stop_signal = 0;
  struct sigaction action {}, previous_interrupt {}, previous_terminate {};
  action.sa_handler = record_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previous_interrupt);
  sigaction(SIGTERM, &action, &previous_terminate);
  detail::Engine::instance();  // the workers start claiming runs now
  // A signal handler may do almost nothing; the graceful shutdown runs here, on the main thread.
  while (g_stop_signal == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  shutdown();
  sigaction(SIGINT, &previous_interrupt, nullptr);
  sigaction(SIGTERM, &previous_terminate, nullptr);
  return g_stop_signal;
}

}  // namespace workflow
