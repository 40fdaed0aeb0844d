// Replay checks: the body runs on a RunContext that only answers from the journal.
#include "engine/replay_check.hpp"

#include "engine/registry.hpp"
#include "engine/run_context.hpp"

#include <workflow/errors.hpp>
#include <workflow/events.hpp>

namespace workflow::detail {
namespace {

ReplayResult result_for(const RunRecord& run) {
  ReplayResult result;
  result.run_id = run.id;
  result.workflow = run.workflow_name;
  result.deployment_id = run.deployment_id;
  result.status = run.status;
  return result;
}

// Recorded data the code now cannot read (a step's result type or a parameter changed): a new
// deployment would fail the run there.
void unreadable(ReplayCheck& check, const RunRecord& run, const std::string& cause) {
  check.diverged({"", 0, "data the code now reads", "cannot read it: " + cause, ""},
                 "run " + run.id + ": the workflow cannot read what the journal recorded: " + cause);
}

}  // namespace

namespace {

bool matches(const RunRecord& run, const ReplayFilter& filter) {
  if (!filter.workflow.empty() && run.workflow_name != filter.workflow) return false;
  if (!filter.deployment.empty() && run.deployment_id != filter.deployment) return false;
  if (filter.status && run.status != *filter.status) return false;
  if (filter.unfinished_only && is_final(run.status)) return false;
  return true;
}

}  // namespace

std::vector<RunRecord> runs_matching(StoreTransaction& transaction, const ReplayFilter& filter) {
  std::vector<RunRecord> runs;
  if (!filter.run_ids.empty()) {
    for (const auto& id : filter.run_ids) {
      auto run = transaction.find_run(id);
      if (!run) throw RunNotFoundError(id);
      if (matches(*run, filter)) runs.push_back(std::move(*run));
    }
  } else {
    // Paged, newest first, so the filters that the store does not apply still find `limit` runs.
    RunFilter page;
    page.status = filter.status;
    page.workflow_name = filter.workflow;
    page.limit = 1000;
    while (runs.size() < filter.limit) {
      auto batch = transaction.list_runs(page);
      for (auto& run : batch) {
        if (runs.size() < filter.limit && matches(run, filter)) runs.push_back(run);
      }
      if (batch.size() < page.limit) break;
      page.before_id = batch.back().id;
    }
  }
  return runs;
}

ReplayResult replay_recorded(const RunRecord& run, const std::vector<Event>& events) {
  ReplayResult result = result_for(run);
  const WorkflowDefinition* workflow = Registry::instance().workflow(run.workflow_name);
  if (!workflow) {
    result.message = "workflow '" + run.workflow_name + "' is not in this binary";
    return result;
  }
  auto check = std::make_shared<ReplayCheck>();
  {
    RunContext context(run, events, check);
    RunContext::Scope scope(context);
    context.permit_entry();
    try {
      workflow->invoke(run.input);
      context.check_ended_here();
    } catch (const Suspension&) {
      // Reached the first call the journal has not answered: where the run stands.
    } catch (const Interruption&) {
    } catch (const NonDeterminismError&) {
      // The check holds the divergence.
    } catch (const Json::exception& error) {
      unreadable(*check, run, error.what());
    } catch (const EventPayloadError& error) {
      unreadable(*check, run, error.what());
    } catch (...) {
      // The body threw, as it may have when it ran (a step's final failure, its own exception):
      // what it recorded after this point would be a divergence.
      try {
        context.check_ended_here();
      } catch (const NonDeterminismError&) {
      }
    }
  }
  result.calls_replayed = check->calls_replayed;
  if (check->divergence) {
    result.verdict = ReplayResult::Verdict::incompatible;
    result.divergence = check->divergence;
    result.message = check->message;
  } else {
    result.verdict = ReplayResult::Verdict::compatible;
  }
  return result;
}

ReplayResult replay_stored(StoreTransaction& transaction, const RunRecord& run, std::int64_t* last_event_id) {
  if (last_event_id) *last_event_id = 0;
  if (run.damage) {
    ReplayResult result = result_for(run);
    result.message = "the run's record is damaged: " + *run.damage;
    return result;
  }
  std::vector<Event> events;
  try {
    events = transaction.events(run.id);
  } catch (const DamagedRecordError& error) {
    ReplayResult result = result_for(run);
    result.message = error.what();
    return result;
  }
  if (last_event_id && !events.empty()) *last_event_id = events.back().id;
  return replay_recorded(run, events);
}

}  // namespace workflow::detail
