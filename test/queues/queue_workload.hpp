// The workflow of the queue acceptance test, linked into the driver (which starts its runs) and
// the worker processes (which execute them). Written with the dispatch calls wfc would emit.
#pragma once

#include <unistd.h>

#include <chrono>
#include <thread>
#include <workflow/workflow.hpp>

namespace queue_acceptance {

inline constexpr const char* kWorkflowId = "workflow//./test/queues//queued_job";
inline constexpr const char* kStepId = "step//./test/queues//do_job";

/// Long enough that runs would overlap without the queue's limits; returns the executing process.
inline int do_job(int) {
  std::this_thread::sleep_for(std::chrono::milliseconds(3));
  return static_cast<int>(getpid());
}

inline int queued_job(int item) {
  ::workflow::detail::workflow_entry(kWorkflowId);
  return ::workflow::detail::step_call<&do_job>(kStepId)(item);
}

inline bool register_workload() {
  static const bool registered = ::workflow::detail::register_workflow<&queued_job>(kWorkflowId) &&
                                 ::workflow::detail::register_step<&do_job>(kStepId);
  return registered;
}

}  // namespace queue_acceptance
