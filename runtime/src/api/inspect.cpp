// The inspection API: registered workflows, run listings and a run's call timeline, read from
// the journal in one snapshot each.
#include <workflow/errors.hpp>
#include <workflow/inspect.hpp>

#include "engine/engine.hpp"
#include "engine/stream_writers.hpp"
#include "store/event_payloads.hpp"

#include <map>
#include <stdexcept>

namespace workflow {

using detail::Engine;
using detail::EventType;
namespace payload = detail::payload;

namespace {

RunSummary summary_of(detail::StoreTransaction& transaction, const detail::RunRecord& run) {
  RunSummary summary{run.id,         run.workflow_name, run.status,       run.deployment_id, run.parent_run_id,
                     run.created_at, run.started_at,    run.completed_at, run.updated_at};
  if (auto entry = transaction.queue_entry(run.id)) {
    summary.queue = entry->queue;
    summary.position = entry->position;
  }
  summary.kept = transaction.kept(run.id);
  return summary;
}

// Folds a run's events into one entry per call, in the order the calls first appear.
class TimelineBuilder {
 public:
  void add(const detail::Event& event) {
    if (event.correlation_id.empty()) return;  // events of the run itself, or inbox entries
    switch (event.type) {
      case EventType::step_started: {
        auto& entry = entry_for(event, "step", event.step_name);
        if (!entry.started_at) entry.started_at = event.created_at;
        open_attempt_[event.correlation_id] = {payload::read<payload::StepStarted>(event).attempt, event.created_at};
        break;
      }
      case EventType::step_completed: end_attempt(event, "completed", ""); break;
      case EventType::step_retrying: {
        auto retrying = payload::read<payload::StepRetrying>(event);
        end_attempt(event, "retrying", retrying.error, retrying.abandoned.value_or(false));
        break;
      }
      case EventType::step_failed: {
        auto failed = payload::read<payload::StepFailed>(event);
        end_attempt(event, "failed", failed.message, failed.abandoned.value_or(false));
        break;
      }
      case EventType::wait_created: {
        auto& entry = entry_for(event, "sleep", "sleep");
        entry.started_at = event.created_at;
        entry.status = "waiting";
        break;
      }
      case EventType::event_waiting: {
        auto& entry = entry_for(event, "event", payload::read<payload::EventWaiting>(event).event);
        entry.started_at = event.created_at;
        entry.status = "waiting";
        break;
      }
      case EventType::wait_completed: {
        auto& entry = entry_for(event, "sleep", "sleep");
        entry.ended_at = event.created_at;
        entry.status = payload::read<payload::WaitCompleted>(event).timed_out ? "failed" : "completed";
        break;
      }
      case EventType::event_received: {
        auto& entry = entry_for(event, "event", payload::read<payload::EventReceived>(event).event);
        entry.ended_at = event.created_at;
        entry.status = "completed";
        break;
      }
      case EventType::child_started: {
        auto& entry = entry_for(event, "child", event.step_name);
        entry.started_at = event.created_at;
        entry.child_run_id = payload::read<payload::ChildStarted>(event).child_run_id;
        entry.status = "waiting";
        break;
      }
      case EventType::child_completed: {
        auto& entry = entry_for(event, "child", event.step_name);
        entry.ended_at = event.created_at;
        entry.status = payload::read<payload::ChildCompleted>(event).status == "completed" ? "completed" : "failed";
        break;
      }
      case EventType::webhook_created: {
        auto& entry = entry_for(event, "webhook", payload::read<payload::WebhookCreated>(event).single_use
                                                      ? "single-use"
                                                      : "multi-use");
        entry.started_at = entry.ended_at = event.created_at;
        entry.status = "completed";
        break;
      }
      case EventType::patch_recorded: {
        auto& entry = entry_for(event, "patch", payload::read<payload::PatchRecorded>(event).change_id);
        entry.started_at = entry.ended_at = event.created_at;
        entry.status = "completed";
        break;
      }
      default: break;
    }
  }

  std::vector<TimelineEntry> take() { return std::move(entries_); }

 private:
  TimelineEntry& entry_for(const detail::Event& event, const char* kind, const std::string& name) {
    auto [found, inserted] = index_.try_emplace(event.correlation_id, entries_.size());
    if (inserted) {
      TimelineEntry entry;
      entry.correlation_id = event.correlation_id;
      entry.kind = kind;
      entry.name = name;
      entries_.push_back(std::move(entry));
    }
    return entries_[found->second];
  }

  void end_attempt(const detail::Event& event, const char* outcome, std::string error, bool abandoned = false) {
    auto& entry = entry_for(event, "step", event.step_name);
    auto open = open_attempt_.find(event.correlation_id);
    StepAttempt attempt;
    attempt.attempt = open != open_attempt_.end() ? open->second.first : static_cast<int>(entry.attempts.size()) + 1;
    attempt.started_at = open != open_attempt_.end() ? open->second.second : event.created_at;
    attempt.ended_at = event.created_at;
    attempt.outcome = outcome;
    attempt.error = std::move(error);
    attempt.abandoned = abandoned;
    if (open != open_attempt_.end()) open_attempt_.erase(open);
    if (!entry.started_at) entry.started_at = attempt.started_at;
    entry.ended_at = attempt.ended_at;
    entry.status = outcome;
    entry.attempts.push_back(std::move(attempt));
  }

  std::vector<TimelineEntry> entries_;
  std::map<std::string, std::size_t> index_;
  std::map<std::string, std::pair<int, TimePoint>> open_attempt_;
};

}  // namespace

std::vector<WorkflowInfo> list_workflows() {
  std::vector<WorkflowInfo> result;
  for (auto& registration : Engine::instance()->store().read()->workflows())
    result.push_back({registration.id, registration.deployment_id, registration.registered_at});
  return result;
}

std::vector<RunCount> count_runs() {
  std::vector<RunCount> counts;
  for (auto& tally : Engine::instance()->store().read()->tally_runs(detail::wall_now()))
    counts.push_back({std::move(tally.workflow_name), tally.status, tally.count, tally.oldest_due});
  return counts;
}

RunPage list_runs(const RunQuery& query) {
  if (query.limit < 1 || query.limit > 1000)
    throw std::invalid_argument("a page holds 1 to 1000 runs, not " + std::to_string(query.limit));
  detail::RunFilter filter;
  filter.status = query.status;
  filter.workflow_name = query.workflow;
  filter.created_after = query.since;
  filter.before_id = query.cursor;
  filter.limit = query.limit + 1;  // one more tells whether another page follows
  auto transaction = Engine::instance()->store().read();
  if (!query.cursor.empty() && !transaction->find_run(query.cursor))
    throw std::invalid_argument("unknown cursor '" + query.cursor + "': pass the next_cursor of a previous page");
  RunPage page;
  for (auto& run : transaction->list_runs(filter)) page.runs.push_back(summary_of(*transaction, run));
  if (page.runs.size() > query.limit) {
    page.runs.pop_back();
    page.next_cursor = page.runs.back().id;
  }
  return page;
}

RunDetails inspect_run(const std::string& run_id) {
  auto transaction = Engine::instance()->store().read();
  auto run = transaction->find_run(run_id);
  if (!run) throw RunNotFoundError(run_id);
  RunDetails details;
  details.summary = summary_of(*transaction, *run);
  details.input = run->input;
  details.output = run->output;
  details.error = run->error;
  details.damage = run->damage.value_or("");
  TimelineBuilder timeline;
  for (const auto& event : transaction->events(run_id)) timeline.add(event);
  details.timeline = timeline.take();
  details.streams = detail::stream_infos(*transaction, *run);
  return details;
}

}  // namespace workflow
