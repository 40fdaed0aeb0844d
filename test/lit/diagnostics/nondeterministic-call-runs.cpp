// Starting a run from a workflow body would start a new one on every replay, and other runs'
// state changes between replays: workflow::start, start_by_id, get_run, the inspection functions
// and a Run's queries and controls are reported. workflow::now, sleep and the run's own metadata
// are deterministic.
// RUN: %expect-exit 1 %wfc --root %S %s -o %t.cpp -- %flags 2>&1 | FileCheck %s
#include <workflow/workflow.hpp>
#include <string>

[[workflow::workflow]] int child(int x);

[[workflow::workflow]] int parent(int x) {
  auto run = workflow::start(child, x);
// CHECK: nondeterministic-call-runs.cpp:[[@LINE-1]]:14: error: workflow::start() in workflow 'parent' is not deterministic: a workflow body runs again on every replay [nondeterministic-call]
// CHECK: note: hint: call the workflow directly to run it as a child run, which a replay finds again; or start it from a {{\[\[}}workflow::step]]
  auto by_id = workflow::start_by_id({}, "workflow//./x//child", workflow::Json::array({x}));
// CHECK: nondeterministic-call-runs.cpp:[[@LINE-1]]:16: error: workflow::start_by_id() in workflow 'parent'
// CHECK: note: hint: call the workflow directly
  auto other = workflow::get_run("r-1");
// CHECK: nondeterministic-call-runs.cpp:[[@LINE-1]]:16: error: workflow::get_run() in workflow 'parent'
// CHECK: note: hint: read or control other runs in a {{\[\[}}workflow::step]], whose result is journaled
  bool done = other.status() == workflow::RunStatus::completed;
// CHECK: nondeterministic-call-runs.cpp:[[@LINE-1]]:15: error: workflow::RunHandle::status() in workflow 'parent'
  int result = run.return_value();
// CHECK: nondeterministic-call-runs.cpp:[[@LINE-1]]:16: error: workflow::Run::return_value() in workflow 'parent'
  by_id.cancel();
// CHECK: nondeterministic-call-runs.cpp:[[@LINE-1]]:3: error: workflow::RunHandle::cancel() in workflow 'parent'
  auto page = workflow::list_runs({});
// CHECK: nondeterministic-call-runs.cpp:[[@LINE-1]]:15: error: workflow::list_runs() in workflow 'parent'
  // A child run: journaled, found again on replay.
  int again = child(x);
  std::string id = run.run_id();
  auto started = workflow::now();
  (void)page; (void)started;
  return done + result + again + static_cast<int>(id.size());
}
// CHECK-NOT: error:
