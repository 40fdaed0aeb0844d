// workflow::run_worker: a process that only executes runs, until an operator stops it.
#include <workflow/config.hpp>
#include <workflow/errors.hpp>

#include "engine/engine.hpp"
#include "log/logger.hpp"

#include <atomic>
#include <csignal>
#include <string>
#include <string_view>
#include <thread>

namespace workflow {
namespace {

// What its messages have always begun with: `workflow worker: ...`.
constexpr std::string_view kComponent = "workflow worker";

std::atomic<int> g_stop_signal{0};

extern "C" void record_stop_signal(int signal) { g_stop_signal = signal; }

void sleep_unless_stopped(std::chrono::milliseconds duration) {
  auto deadline = std::chrono::steady_clock::now() + duration;
  while (g_stop_signal == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

// A worker is a service: started next to others on a busy disk, it may find the journal locked
// for longer than the busy timeout (another process's first commit, a long fsync). It waits for
// the journal like a server waits for its database instead of dying; other errors (a file that is
// not a journal, a newer schema) are not transient and end it.
bool start_engine_when_journal_free() {
  bool reported = false;
  while (g_stop_signal == 0) {
    try {
      detail::Engine::instance();  // the workers start claiming runs now
      if (reported) detail::log_message(detail::LogLevel::info, "journal available, started", {}, kComponent);
      return true;
    } catch (const JournalBusyError& busy) {
      if (!reported)
        detail::log_message(detail::LogLevel::warn, std::string(busy.what()) + "; waiting until it is free", {},
                            kComponent);
      reported = true;
      sleep_unless_stopped(std::chrono::milliseconds(200));
    }
  }
  return false;
}

// The journal cannot be used: it could not be opened, or its files went away under the worker.
constexpr int kCannotStart = -1;

}  // namespace

int run_worker() {
  g_stop_signal = 0;
  struct sigaction action {}, previous_interrupt {}, previous_terminate {};
  action.sa_handler = record_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previous_interrupt);
  sigaction(SIGTERM, &action, &previous_terminate);
  bool started = false;
  try {
    started = start_engine_when_journal_free();
  } catch (const Error& error) {
    // Not a journal, a newer schema, a refused password, a server that stayed unreachable: said
    // once, plainly, instead of an uncaught exception.
    detail::log_message(detail::LogLevel::error, std::string("cannot start: ") + error.what(), {}, kComponent);
    sigaction(SIGINT, &previous_interrupt, nullptr);
    sigaction(SIGTERM, &previous_terminate, nullptr);
    return kCannotStart;
  }
  if (started) {
    // A signal handler may do almost nothing; the graceful shutdown runs here, on the main thread.
    while (g_stop_signal == 0) {
      if (auto lost = detail::Engine::instance()->store().lost()) {
        // Every write would fail from now on, and runs would wait on a worker that does nothing.
        detail::log_message(detail::LogLevel::error, "stopping: " + *lost, {}, kComponent);
        shutdown();
        sigaction(SIGINT, &previous_interrupt, nullptr);
        sigaction(SIGTERM, &previous_terminate, nullptr);
        return kCannotStart;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    shutdown();
  }
  sigaction(SIGINT, &previous_interrupt, nullptr);
  sigaction(SIGTERM, &previous_terminate, nullptr);
  return g_stop_signal;
}

}  // namespace workflow
