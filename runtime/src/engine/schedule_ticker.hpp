// The schedule ticker: a thread of every worker engine that fires due schedules.
//
// It sleeps until the earliest next fire time of any schedule, a change in the journal (a
// schedule declared, resumed or triggered elsewhere, a run ending that a buffered tick waits
// for), or a bounded poll, whichever comes first. Every worker runs one; the claim of due rows
// (schedule_firing.hpp) makes sure each tick is fired once.
#pragma once

#include <mutex>
#include <thread>

namespace workflow::detail {

class Engine;

class ScheduleTicker {
 public:
  explicit ScheduleTicker(Engine& engine);
  ~ScheduleTicker();
  void stop();

 private:
  void loop();
  bool stopping();

  Engine& engine_;
  std::mutex mutex_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace workflow::detail
