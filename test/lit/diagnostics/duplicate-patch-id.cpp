// A change ID may appear once in a workflow body, its lambdas (parallel branches) included:
// patched twice, deprecate_patch twice, or both for one change.
// RUN: not %wfc --root %S %s -o %t.cpp -- %flags 2>&1 | FileCheck %s --implicit-check-not=error: --implicit-check-not=note:
#include <workflow/workflow.hpp>
[[workflow::step]] int charge(int cents);
[[workflow::step]] int check_fraud(int cents);

[[workflow::workflow]] int order(int cents) {
  if (workflow::patched("fraud-check")) check_fraud(cents);
  if (workflow::patched("fraud-check")) cents += 1;
// CHECK: duplicate-patch-id.cpp:[[@LINE-1]]:25: error: change ID 'fraud-check' is used again in workflow 'order' (by workflow::patched); a change ID may appear once in a workflow body [duplicate-patch-id]
// CHECK: note: hint: give each change its own ID; to branch on one change in several places, keep the result of the first workflow::patched call in a variable
// CHECK: duplicate-patch-id.cpp:[[@LINE-4]]:25: note: 'fraud-check' is first used here (by workflow::patched)
  workflow::deprecate_patch("fraud-check");
// CHECK: duplicate-patch-id.cpp:[[@LINE-1]]:29: error: change ID 'fraud-check' is used again in workflow 'order' (by workflow::deprecate_patch)
// CHECK: note: hint: keep one call for the change: workflow::deprecate_patch takes the place of its workflow::patched call, and of the old code path with it
// CHECK: duplicate-patch-id.cpp:[[@LINE-8]]:25: note: 'fraud-check' is first used here (by workflow::patched)
  workflow::deprecate_patch("audit");
  workflow::deprecate_patch("audit");
// CHECK: duplicate-patch-id.cpp:[[@LINE-1]]:29: error: change ID 'audit' is used again in workflow 'order' (by workflow::deprecate_patch)
// CHECK: note: hint: keep one call for the change
// CHECK: duplicate-patch-id.cpp:[[@LINE-4]]:29: note: 'audit' is first used here (by workflow::deprecate_patch)
  auto [a, b] = workflow::parallel([&] { return workflow::patched("audit") ? charge(cents) : 0; },
// CHECK: duplicate-patch-id.cpp:[[@LINE-1]]:67: error: change ID 'audit' is used again in workflow 'order' (by workflow::patched)
// CHECK: note: hint: keep one call for the change
// CHECK: duplicate-patch-id.cpp:[[@LINE-8]]:29: note: 'audit' is first used here (by workflow::deprecate_patch)
                                   [&] { return workflow::patched("new-fee") ? charge(cents + 1) : 0; });
  // A generic lambda's pattern counts once, however often it is instantiated.
  auto generic = [&](auto extra) { return workflow::patched("generic") ? extra : 0; };
  return a + b + generic(1) + generic(2L);
}

// Each workflow has its own change IDs.
[[workflow::workflow]] int refund(int cents) {
  if (workflow::patched("fraud-check")) check_fraud(cents);
  workflow::deprecate_patch("audit");
  return charge(-cents);
}
