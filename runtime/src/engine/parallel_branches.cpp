// Parallel branches of one workflow body: workflow::parallel (a thread per branch, a few
// branches) and workflow::parallel_map (a bounded pool of threads over any number of items).
//
// Both number a branch's calls under the parallel call's position and the branch's number
// (`pP.B/step-1`), so the journal is the same whichever branch finished first, and both merge
// what the branches did in branch order. They differ in when a branch's events are written:
// a workflow::parallel branch's last results go with the body's next commit (flush_results), a
// parallel_map item's are queued for the group commit as the item ends, so that a crash half-way
// through ten thousand items loses only those in flight.
#include "engine/run_context.hpp"

#include "engine/engine.hpp"
#include "engine/pending_commits.hpp"

#include <workflow/parallel_map.hpp>

#include <algorithm>
#include <atomic>
#include <limits>
#include <stdexcept>
#include <thread>

namespace workflow::detail {
namespace {

// Calls run(i) for every i < count on up to `threads` threads, each taking the next index as it
// becomes free. Branches may wait on one another (a test's rendezvous, a shared resource), so
// with as many threads as branches every branch gets a thread of its own.
void run_on_threads(std::size_t count, std::size_t threads, const std::function<void(std::size_t)>& run) {
  std::atomic<std::size_t> next{0};
  auto take_indexes = [&] {
    for (std::size_t i = next++; i < count; i = next++) run(i);
  };
  std::vector<std::thread> pool;
  try {
    for (std::size_t t = 0; t < std::min(threads, count); ++t) pool.emplace_back(take_indexes);
  } catch (const std::system_error&) {
    // Out of threads: those started take every index between them.
    if (pool.empty()) throw;
  }
  for (auto& thread : pool) thread.join();
}

// What one branch did, kept until the branches are merged in branch order.
struct BranchOutcome {
  std::exception_ptr error;
  std::optional<Suspension> suspension;
  std::optional<Interruption> interruption;
  /// Events to write with the body's next commit (workflow::parallel, or a refused item).
  std::vector<Event> unwritten;
  bool results_unwritten = false;
  TimePoint clock;
  bool live_step_ran = false;
};

}  // namespace

std::int64_t RunContext::begin_parallel(std::string_view attempted) {
  check_can_continue();
  std::int64_t position = next_position_++;
  // Only its branches record anything: the journal knows it by them.
  if (const RecordedCall* recorded = recorded_call(position); recorded && recorded->kind != RecordedCall::Kind::parallel)
    non_determinism(position, recorded->correlation_id, recorded->describe(), attempted, nullptr);
  if (check_) check_->replayed();
  return position;
}

void RunContext::run_parallel(const std::vector<std::function<void()>>& branches) {
  std::int64_t position = begin_parallel("runs workflow::parallel");
  if (branches.size() >= 1000) throw std::invalid_argument("workflow::parallel takes fewer than 1000 branches");
  run_branches(position, branches.size(), branches.size(), [&](std::size_t b) { branches[b](); },
               /*commit_each_branch=*/false);
}

void RunContext::run_parallel_map(std::size_t count, const std::function<void(std::size_t)>& item,
                                  std::size_t max_in_flight) {
  std::int64_t position = begin_parallel("runs workflow::parallel_map");
  // Branch numbers are ints in the branch contexts (and in journals written before string keys).
  if (count >= static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw std::invalid_argument("workflow::parallel_map takes fewer than " +
                                std::to_string(std::numeric_limits<int>::max()) + " items");
  std::size_t threads = max_in_flight == 0 ? kParallelMapThreads : std::min(max_in_flight, kParallelMapThreads);
  run_branches(position, count, threads, item, /*commit_each_branch=*/engine_ != nullptr);
}

void RunContext::run_branches(std::int64_t position, std::size_t count, std::size_t threads,
                              const std::function<void(std::size_t)>& branch, bool commit_each_branch) {
  flush_results();  // the branches' steps may act on them
  std::vector<BranchOutcome> outcomes(count);
  PendingCommits commits;
  std::atomic<bool> interrupted{false};
  run_on_threads(count, threads, [&](std::size_t b) {
    // Once the run must stop, items not started stay unstarted: the call ends in an Interruption.
    if (interrupted || commits.refused()) return;
    // Made when the branch starts and dropped when it ends: parallel_map may have 100,000 items.
    RunContext context(*this, position, static_cast<int>(b));
    auto& outcome = outcomes[b];
    {
      Scope scope(context);
      try {
        branch(b);
        if (checking()) context.check_ended_here();
      } catch (const Suspension&) {
      } catch (const Interruption&) {
      } catch (...) {
        outcome.error = std::current_exception();
      }
    }
    outcome.suspension = context.suspension_;
    outcome.interruption = context.interruption_;
    outcome.clock = context.clock_;
    outcome.live_step_ran = context.live_step_ran_;
    if (outcome.interruption) interrupted = true;
    // An interrupted execution writes nothing more; its events are dropped with the body's.
    if (commit_each_branch && !outcome.interruption) {
      context.commit_later(commits);
    } else {
      outcome.results_unwritten = context.results_unwritten_;
      outcome.unwritten = context.take_unwritten();
    }
  });
  // The results are about to be used: they must be durable first.
  if (auto refusal = commits.wait(); refusal && !interruption_) interruption_ = Interruption{*refusal};

  // Merge in branch order, so the result does not depend on which branch finished first.
  std::optional<Suspension> suspended;
  for (auto& branch_outcome : outcomes) {
    results_unwritten_ = results_unwritten_ || branch_outcome.results_unwritten;
    unwritten_.insert(unwritten_.end(), std::make_move_iterator(branch_outcome.unwritten.begin()),
                      std::make_move_iterator(branch_outcome.unwritten.end()));
    clock_ = std::max(clock_, branch_outcome.clock);
    live_step_ran_ = live_step_ran_ || branch_outcome.live_step_ran;
    if (branch_outcome.interruption && !interruption_) interruption_ = branch_outcome.interruption;
    if (branch_outcome.suspension) {
      // The earliest time any branch can go on; a branch waiting without a deadline waits again.
      auto ready = branch_outcome.suspension->ready_at;
      if (!suspended) suspended = Suspension{ready, RunStatus::waiting};
      else if (ready && (!suspended->ready_at || *ready < *suspended->ready_at)) suspended->ready_at = ready;
      // What any branch waits for must make the run due when it comes.
      suspended->also_await(*branch_outcome.suspension);
    }
  }
  if (interruption_) throw Interruption(*interruption_);
  if (suspended) {
    // The run waits until the earliest branch can go on; replay answers the finished ones.
    suspension_ = suspended;
    throw Suspension(*suspension_);
  }
  for (auto& branch_outcome : outcomes) {
    if (branch_outcome.error) std::rethrow_exception(branch_outcome.error);
  }
}

}  // namespace workflow::detail
