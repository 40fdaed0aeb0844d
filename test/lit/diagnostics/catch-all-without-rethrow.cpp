// catch (...) in a workflow body must rethrow: it would swallow the run's suspension.
// RUN: not %wfc --root %S %s -o %t.cpp -- %flags 2>&1 | FileCheck %s
#include <stdexcept>
[[workflow::step]] int charge(int cents);
[[workflow::workflow]] int order(int cents) {
  try {
    return charge(cents);
  } catch (...) {
// CHECK: catch-all-without-rethrow.cpp:[[@LINE-1]]:5: error: 'catch (...)' in workflow 'order' does not rethrow; it would swallow the run's suspension (sleeps, retries, cancellation) and a step's failure [catch-all-without-rethrow]
// CHECK: note: hint: catch the exception types you expect (workflow::StepFailedError, std::exception), or end the handler with 'throw;'
    auto rethrow_elsewhere = [] { throw; };
    (void)rethrow_elsewhere;
    return -1;
  }
}
[[workflow::workflow]] int fine(int cents) {
  try { return charge(cents); } catch (const std::exception&) { return 0; } catch (...) { throw; }
// CHECK-NOT: error:
}
