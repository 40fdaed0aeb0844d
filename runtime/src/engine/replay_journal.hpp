// A run's journal folded into what replay needs: for each call, what was recorded.
//
// A call's key is its number within the body or parallel branch that made it, after the branch
// path: `7` at the top, `p2.1/p5.3/7` two branches deep (the correlation ID without the call's
// kind, so that a different kind of call at a recorded key is found and reported as
// non-determinism). Keys are strings so no count of calls or depth of nesting can collide.
#pragma once

#include "store/records.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace workflow::detail {

/// What the journal holds about one call of the workflow (a step call or a sleep).
struct RecordedCall {
  enum class Kind { step, wait, event, child } kind = Kind::step;
  std::string correlation_id;
  std::string step_name;  // steps only
  int failed_attempts = 0;
  std::optional<Json> result;
  std::optional<Json> final_error;  // {"message": ..., "attempts": ...}
  std::optional<TimePoint> retry_at;
  std::optional<TimePoint> resume_at;  // waits only (for events: the timeout, if any)
  bool wait_completed = false;
  std::string event_type;              // event waits: the awaited type
  std::optional<Json> delivered;       // event waits: {"id": ..., "payload": ...} or {"timed_out": true}
  std::string child_run_id;            // child runs
  std::optional<Json> child_outcome;   // child runs: {"status", "output"?, "error"?}
  TimePoint last_event_at;
};

/// The key of call number `position` made in the context whose correlation IDs start with `prefix`.
std::string call_key(std::string_view prefix, std::int64_t position);

class ReplayJournal {
 public:
  explicit ReplayJournal(const std::vector<Event>& events);

  const RecordedCall* find(const std::string& key) const;
  bool has_run_started() const { return run_started_; }
  /// 1, or 1 + the number of restarts: the attempt this journal replays.
  int attempt() const { return attempt_; }
  /// How this attempt's correlation IDs begin: "" for the first, "a2/" for the second, ...
  std::string attempt_prefix() const { return attempt_ == 1 ? std::string() : "a" + std::to_string(attempt_) + "/"; }

 private:
  std::map<std::string, RecordedCall, std::less<>> calls_;
  bool run_started_ = false;
  int attempt_ = 1;
};

}  // namespace workflow::detail
