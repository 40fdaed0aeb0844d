// One execution of a run, from claim to its next resting point.
#include "engine/run_executor.hpp"

#include "engine/event_inbox.hpp"
#include "engine/run_wakeup.hpp"

#include <algorithm>
#include <set>

#include "engine/commit_log.hpp"
#include "engine/engine.hpp"
#include "engine/fenced_write.hpp"
#include "engine/run_context.hpp"
#include "log/logger.hpp"
#include "store/event_payloads.hpp"

#include <workflow/detail/bounded_json.hpp>
#include <workflow/errors.hpp>

namespace workflow::detail {
namespace {

Json error_json(std::string_view type, const std::string& message) {
  return {{"type", type}, {"message", message}};
}

// The outcome of running the body once.
struct BodyOutcome {
  std::optional<Json> output;
  std::optional<Json> failure;
};

BodyOutcome run_body(RunContext& context, const WorkflowDefinition& workflow, const Json& input) {
  BodyOutcome outcome;
  RunContext::Scope scope(context);
  context.permit_entry();
  try {
    outcome.output = workflow.invoke(input);
  } catch (const Suspension&) {
  } catch (const Interruption&) {
  } catch (const StorageError& error) {
    // The journal failed (a read, a child start), not the workflow.
    log_message(LogLevel::warn, "run " + context.run().id + ": " + error.what() + " (the run is handed back)",
                context.run().id);
    context.storage_failed();
  } catch (const StepFailedError& error) {
    auto failure = error_json("StepFailedError", "run " + context.run().id + " failed: " + error.what());
    failure["step"] = error.step_name();
    failure["correlation_id"] = error.correlation_id();
    failure["attempts"] = error.attempts();
    outcome.failure = std::move(failure);
  } catch (const DamagedRecordError& error) {
    // A record the body read meanwhile (an event's inbox) is damaged: the run ends, not the worker.
    outcome.failure = error_json("DamagedRecordError", error.what());
  } catch (const NonDeterminismError& error) {
    outcome.failure = error_json("NonDeterminismError", error.what());
  } catch (const Json::exception& error) {
    outcome.failure = error_json("SerializationError", "run " + context.run().id +
                                     ": cannot read the workflow's arguments: " + error.what());
  } catch (const std::exception& error) {
    outcome.failure = error_json("WorkflowError", "run " + context.run().id +
                                     ": the workflow threw: " + error.what());
  } catch (...) {
    outcome.failure = error_json("WorkflowError", "run " + context.run().id +
                                     ": the workflow threw an exception not derived from std::exception");
  }
  return outcome;
}

void record_outcome(Engine& engine, RunContext& context, BodyOutcome outcome) {
  // The body's chunks are queued before its outcome, so they commit first; a chunk that could not
  // be written aborts this execution (a StorageError) and the run resumes from its journal.
  context.stream_writers().flush_all();
  const std::string run_id = context.run().id;
  auto events = context.take_unwritten();
  std::function<void(RunRecord&)> update;
  bool final = false;
  TimePoint now = wall_now();
  // Recorded, it could not be read back: journal records are read with a bound on nesting.
  if (outcome.output && nests_deeper_than(*outcome.output, kMaxJsonDepth)) {
    outcome.failure = error_json("WorkflowError", "run " + run_id + ": its return value nests deeper than " +
                                                      std::to_string(kMaxJsonDepth) +
                                                      " arrays and objects, more than the journal reads back");
    outcome.output.reset();
  }
  if (auto& interruption = context.interruption()) {
    if (interruption->reason == Interruption::Reason::lease_lost) return;
    if (interruption->reason == Interruption::Reason::storage_failed) {
      release_after_failure(engine, run_id, context.run().attempt);
      return;
    }
    // Hand the run to whichever worker comes next. An interruption comes before a call begins,
    // so what is unwritten is whole: outcomes of steps that ran (kept, so a graceful shutdown
    // does not run them again) and facts replay would find again. The fence makes this a no-op
    // for a cancelled run; after a restart it returns a run this worker claimed again
    // meanwhile; a paused run stays paused and not due.
    update = [now](RunRecord& run) {
      run.owner.clear();
      run.ready_at = now;
    };
  } else if (auto& suspension = context.suspension()) {
    update = [suspension = *suspension](RunRecord& run) {
      run.status = suspension.status;
      run.ready_at = suspension.ready_at;
      run.owner.clear();
    };
  } else if (outcome.output) {
    events.push_back(context.make_event(payload::RunCompleted{*outcome.output}));
    update = [output = *outcome.output, now](RunRecord& run) {
      run.output = output;
      mark_final(run, RunStatus::completed, now);
    };
    final = true;
  } else {
    events.push_back(context.make_event(payload::RunFailed{*outcome.failure}));
    update = [error = *outcome.failure, now](RunRecord& run) {
      run.error = error;
      mark_final(run, RunStatus::failed, now);
    };
    final = true;
  }
  // What the run waits for, if it suspends (nothing otherwise).
  Suspension waits = context.suspension().value_or(Suspension{});
  auto ready_at = waits.ready_at;
  bool made_due = false;
  std::string parent = final ? context.run().parent_run_id : std::string();
  // An event sent while this execution ran must not wait for the timeout: checked in the same
  // transaction that records the wait, so a send_event commits either before it (seen here) or
  // after it (and then finds the run waiting and makes it due).
  if (!waits.awaited_events.empty() || !waits.awaited_children.empty()) ready_at = now;
  int attempt = context.run().attempt;
  RunStatus ended = outcome.output ? RunStatus::completed : RunStatus::failed;
  bool recorded = false;
  // Waited for: the execution must not end (and a claim of the run that came meanwhile must not
  // execute it again) before the outcome is in the journal.
  try {
    engine.writes().run(
      [run_id, workflow = context.run().workflow_name, owner = engine.identity(), attempt, events = std::move(events),
       update, waits, parent, &made_due, &recorded](StoreTransaction& t) {
        made_due = false;
        recorded = false;
        // A child that ended, or an awaited event that arrived, while this execution ran must not
        // leave the run waiting. Children are locked before the run (a child ending locks itself,
        // then its parent: the same order), and the run before its events are read: a send_event
        // then commits either before that read (seen here) or after this transaction (and finds
        // the run waiting). A wake_up of the sleep this execution suspends on is the same case.
        bool due_now = false;
        for (const auto& child_id : waits.awaited_children) {
          auto child = t.find_run(child_id);
          due_now = due_now || (child && is_final(child->status));
        }
        t.fence(run_id);
        if (!due_now && (!waits.awaited_events.empty() || !waits.awaited_wakeups.empty())) {
          std::set<std::int64_t> delivering;
          for (const auto& event : events) {
            if (event.type != EventType::event_received) continue;
            if (auto entry = payload::read<payload::EventReceived>(event).delivered) delivering.insert(*entry);
          }
          auto journal = t.events(run_id);
          for (const auto& type : waits.awaited_events)
            due_now = due_now || first_undelivered(journal, type, delivering) != nullptr;
          const auto& wakeups = waits.awaited_wakeups;
          for (const auto& event : journal)
            due_now = due_now || (event.type == EventType::wait_completed &&
                                  std::find(wakeups.begin(), wakeups.end(), event.correlation_id) != wakeups.end());
        }
        if (due_now) {
          auto now = wall_now();
          write_if_owned(t, run_id, workflow, owner, attempt, events, [&update, now](RunRecord& run) {
            update(run);
            run.ready_at = now;
          });
          made_due = true;
          return;
        }
        auto written = write_if_owned(t, run_id, workflow, owner, attempt, events, update);
        recorded = written == FenceResult::written || written == FenceResult::paused;
        if (!parent.empty() && written != FenceResult::lost && written != FenceResult::cancelled)
          make_due_if_waiting(t, parent, wall_now());
      },
      WriteQueue::Durability::durable);
  } catch (const std::exception& error) {
    log_message(LogLevel::error,
                "run " + run_id + ": could not record its outcome: " + error.what() +
                    " (the run will be resumed from its journal)",
                run_id);
    release_after_failure(engine, run_id, attempt);
    return;
  }
  if (final && recorded) engine.metrics().run_finished(context.run().workflow_name, ended);
  if (made_due) engine.hint(wall_now());
  else if (ready_at) engine.hint(*ready_at);
}

}  // namespace

void release_after_failure(Engine& engine, const std::string& run_id, int attempt) {
  // During shutdown the engine releases every run it holds anyway (and its write queue may be
  // going away).
  if (engine.stopping()) return;
  auto retry_at = wall_now() + std::chrono::seconds(1);
  engine.writes().post(
      [run_id, owner = engine.identity(), attempt, retry_at](StoreTransaction& t) {
        write_if_owned(t, run_id, {}, owner, attempt, {}, [retry_at](RunRecord& run) {
          run.owner.clear();
          run.ready_at = retry_at;
        });
      },
      WriteQueue::Durability::lazy, [&engine, run_id, attempt, retry_at](std::exception_ptr error) {
        if (error) engine.release_later(run_id, attempt);
        else engine.hint(retry_at);
      });
}

namespace {

// Ends a run whose journal cannot be trusted, with the damage as its error.
void set_aside_damaged(Engine& engine, const RunRecord& claimed, const std::string& message) {
  log_message(LogLevel::error, message, claimed.id);
  Json error = error_json("DamagedRecordError", message);
  try {
    engine.writes().run(
        [&](StoreTransaction& t) {
          if (!still_holds(t.fence(claimed.id), engine.identity(), claimed.attempt)) return;
          Event failed;
          failed.run_id = claimed.id;
          failed.type = EventType::run_failed;
          failed.data = payload::RunFailed{error};
          failed.created_at = wall_now();
          append_logged(t, failed, {claimed.workflow_name, claimed.attempt});
          // A damaged record keeps its checksummed columns as they are (update_run): the damage
          // stays visible, and nothing is blessed with a fresh checksum.
          auto run = t.find_run(claimed.id);
          run->error = error;
          mark_final(*run, RunStatus::failed, failed.created_at);
          t.update_run(*run);
          // A parent waiting for this run as its child learns that it failed.
          if (!claimed.parent_run_id.empty()) make_due_if_waiting(t, claimed.parent_run_id, failed.created_at);
        },
        WriteQueue::Durability::durable);
  } catch (const std::exception& failure) {
    log_message(LogLevel::error, "run " + claimed.id + ": could not set it aside: " + failure.what(), claimed.id);
    release_after_failure(engine, claimed.id, claimed.attempt);
    return;
  }
  engine.hint(wall_now());
}

}  // namespace

void execute_run(Engine& engine, const RunRecord& claimed, std::optional<std::vector<Event>> journal) {
  std::optional<RunRecord> run;
  std::vector<Event> events;
  try {
    if (journal) {
      run = claimed;
      events = std::move(*journal);
    } else {
      auto transaction = engine.store().read();
      run = transaction->find_run(claimed.id);
      if (run && !run->damage) events = transaction->events(claimed.id);
    }
    if (run && run->damage) throw DamagedRecordError(run->id, "the run's record", *run->damage);
  } catch (const DamagedRecordError& error) {
    // Replaying it would act on wrong data, and handing it back would fail again every second.
    set_aside_damaged(engine, claimed, error.what());
    return;
  } catch (const std::exception& error) {
    log_message(LogLevel::error, "run " + claimed.id + ": cannot read its journal: " + error.what(), claimed.id);
    release_after_failure(engine, claimed.id, claimed.attempt);
    return;
  }
  if (!run) return;
  // Keyed by the attempt just read: a restart's new attempt executes even while the old one
  // drains, and a stale claim of an attempt already executing waits for it.
  auto cancel_flag = engine.begin_execution(*run);
  if (!cancel_flag) return;
  try {
    // Read again now that a cancel or restart would raise this execution's flag: one that
    // committed after the read above but before the registration would otherwise go unseen, and
    // the next step would run.
    auto fence = engine.store().read()->fence(run->id);
    if (!still_holds(fence, engine.identity(), run->attempt)) {
      engine.end_execution(run->id, run->attempt);
      return;
    }
    if (fence->status == RunStatus::paused) {
      release_after_failure(engine, run->id, run->attempt);  // a paused run stays paused, unheld
      engine.end_execution(run->id, run->attempt);
      return;
    }
    if (const WorkflowDefinition* workflow = Registry::instance().workflow(run->workflow_name)) {
      RunContext context(engine, *run, events, cancel_flag);
      std::vector<Event> started;
      bool first = !std::any_of(events.begin(), events.end(),
                                [](const Event& e) { return e.type == EventType::run_started; });
      if (first) {
        started.push_back(context.make_event(EventType::run_started, Json::object()));
        engine.metrics().run_started(run->workflow_name);
      }
      auto now = wall_now();
      // Lazy: status is informational, and a later durable commit of this run follows in order.
      engine.writes().post(
          [id = run->id, workflow = run->workflow_name, owner = engine.identity(), attempt = run->attempt, started,
           now](StoreTransaction& t) {
            write_if_owned(t, id, workflow, owner, attempt, started, [now](RunRecord& r) {
              r.status = RunStatus::running;
              if (!r.started_at) r.started_at = now;
            });
          },
          WriteQueue::Durability::lazy, nullptr);
      auto began = std::chrono::steady_clock::now();
      auto outcome = run_body(context, *workflow, run->input);
      // A resumed run replays what its journal records before it does anything new.
      if (!first) engine.metrics().replay(run->workflow_name, context.live_since().value_or(std::chrono::steady_clock::now()) - began);
      record_outcome(engine, context, std::move(outcome));
    }
  } catch (const std::exception& error) {
    // Only storage can fail here.
    log_message(LogLevel::error,
                "run " + claimed.id + ": execution aborted: " + error.what() +
                    " (the run will be resumed from its journal)",
                claimed.id);
    release_after_failure(engine, run->id, run->attempt);
  }
  engine.end_execution(run->id, run->attempt);
}

}  // namespace workflow::detail
