// The schedule ticker's loop (schedule_ticker.hpp).
#include "engine/schedule_ticker.hpp"

#include "engine/engine.hpp"
#include "engine/schedule_firing.hpp"
#include "log/logger.hpp"


namespace workflow::detail {
namespace {
// The longest the ticker sleeps without looking: a schedule changed by a process whose commit
// went unreported is still seen.
constexpr auto kPoll = std::chrono::seconds(1);
// The shortest pause between looks: a schedule that stays due (it cannot fire, or another worker
// holds it) is not looked at in a tight loop, nor is the journal at every commit of a busy worker.
constexpr auto kMinPause = std::chrono::milliseconds(10);
}  // namespace

ScheduleTicker::ScheduleTicker(Engine& engine) : engine_(engine), thread_([this] { loop(); }) {}

ScheduleTicker::~ScheduleTicker() { stop(); }

void ScheduleTicker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  engine_.note_journal_change();  // ends its wait
  if (thread_.joinable()) thread_.join();
}

bool ScheduleTicker::stopping() {
  std::lock_guard lock(mutex_);
  return stopping_;
}

void ScheduleTicker::loop() {
  bool failing = false;
  while (!stopping()) {
    auto now = wall_now();
    auto seen = engine_.journal_changes();
    auto wake_at = now + kPoll;
    try {
      auto next = engine_.store().read()->next_schedule_work(now);
      bool stuck = false;
      if (next && *next <= now) {
        auto pass = ScheduleFiring::fire_due(engine_, now);
        // Taken after the commit above, which is no news to this thread.
        seen = engine_.journal_changes();
        now = wall_now();
        next = engine_.store().read()->next_schedule_work(now);
        // Still due though nothing was handled: what is due cannot fire (said on stderr) or
        // another worker holds it; looked at again after the poll, not in a loop.
        stuck = pass.handled == 0 && next && *next <= now;
      }
      if (next && !stuck) wake_at = std::min(wake_at, std::max(*next, now + kMinPause));
      if (failing) log_message(LogLevel::warn, "schedule ticker: the journal answers again");
      failing = false;
    } catch (const std::exception& error) {
      if (!failing) log_message(LogLevel::warn, std::string("schedule ticker: ") + error.what() + " (retrying)");
      failing = true;
      wake_at = wall_now() + std::chrono::milliseconds(200);
    }
    if (stopping()) break;
    if (engine_.wait_for_journal_change(seen, wake_at) != seen && !stopping())
      std::this_thread::sleep_for(kMinPause);
  }
}

}  // namespace workflow::detail
