// A run's journal folded into what replay needs: for each call, what was recorded.
//
// A call's key is its number within the body or parallel branch that made it, after the branch
// path: `7` at the top, `p2.1/p5.3/7` two branches deep (the correlation ID without the call's
// kind, so that a different kind of call at a recorded key is found and reported as
// non-determinism). Keys are strings so no count of calls or depth of nesting can collide.
#pragma once

#include "store/event_payloads.hpp"
#include "store/records.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace workflow::detail {

/// What the journal holds about one call of the workflow.
struct RecordedCall {
  /// `parallel`: a workflow::parallel call, known by its branches' records (it writes none itself).
  enum class Kind { step, wait, event, child, patch, parallel, webhook } kind = Kind::step;
  std::string correlation_id;
  /// The step's or child workflow's stable ID, the awaited event type, or the patch's change ID
  /// (empty for a sleep).
  std::string name;
  int failed_attempts = 0;
  std::optional<Json> result;
  std::optional<payload::StepFailed> final_error;
  std::optional<TimePoint> retry_at;
  std::optional<TimePoint> resume_at;  // waits only (for events: the timeout, if any)
  bool wait_completed = false;
  std::optional<payload::EventReceived> delivered;  // event waits
  std::string child_run_id;                         // child runs
  std::optional<payload::ChildCompleted> child_outcome;
  std::optional<payload::WebhookCreated> webhook;  // workflow::create_webhook
  TimePoint last_event_at;

  /// How the journal's record reads in a message: `step 'X'`, `a sleep`, ...
  std::string describe() const;
};

/// The key of call number `position` made in the context whose correlation IDs start with `prefix`.
std::string call_key(std::string_view prefix, std::int64_t position);

class ReplayJournal {
 public:
  explicit ReplayJournal(const std::vector<Event>& events);

  const RecordedCall* find(const std::string& key) const;
  /// The first call recorded in the context `prefix` (`""`, `p2.1/`, ...) with a number at or
  /// after `position`, if any.
  const RecordedCall* first_at_or_after(std::string_view prefix, std::int64_t position) const;
  bool has_run_started() const { return run_started_; }
  /// The attempt this journal replays has ended (completed, failed or cancelled): its history is
  /// whole, so a call it did not record was never made.
  bool has_run_ended() const { return run_ended_; }
  /// 1, or 1 + the number of restarts: the attempt this journal replays.
  int attempt() const { return attempt_; }
  /// How this attempt's correlation IDs begin: "" for the first, "a2/" for the second, ...
  std::string attempt_prefix() const { return attempt_ == 1 ? std::string() : "a" + std::to_string(attempt_) + "/"; }

 private:
  /// Records the parallel calls a branch call's correlation ID (after the attempt prefix) is in.
  void note_parallel_calls(std::string_view branches, const std::string& attempt_prefix);

  std::map<std::string, RecordedCall, std::less<>> calls_;
  bool run_started_ = false;
  bool run_ended_ = false;
  int attempt_ = 1;
};

}  // namespace workflow::detail
