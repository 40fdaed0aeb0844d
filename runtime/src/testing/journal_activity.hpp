// What the runs of the test environment's journal are doing, read at one instant: the facts the
// virtual clock decides on (docs/testing.md, "The auto-skip rule").
#pragma once

#include "util/time.hpp"

#include <optional>
#include <string>

namespace workflow::detail {
class Engine;
}

namespace workflow::testing::detail {

struct JournalActivity {
  /// Some unfinished run is held by a worker (claimed, executing) or due now.
  bool busy = false;
  /// The earliest future time at which an unfinished run becomes due: a sleep's end, an event
  /// wait's timeout, a retry. Nothing when every unfinished run waits without a deadline.
  std::optional<workflow::detail::TimePoint> next_wake_up;
  /// For messages: a busy run, and an unfinished run that is not busy (`wrun_... (waiting)`).
  std::string busy_run;
  std::string idle_run;
};

/// One read of every run (a single statement, so a consistent view on both backends).
JournalActivity observe_journal(workflow::detail::Engine& engine);

}  // namespace workflow::testing::detail
