// The functions a workflow body calls run again on every replay too: non-deterministic calls in
// them (transitively; member functions, constructors, lambdas and template instantiations
// included) are reported at the call inside the helper, with a note for each call on the way back
// to the workflow body, once however often they are reached. Not followed: steps, other
// workflows, system headers.
// RUN: %expect-exit 1 %wfc --root %S %s -o %t.cpp -- %flags -isystem %S/Inputs/system 2>&1 | FileCheck %s --implicit-check-not=error:
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <vector>
#include "Inputs/helper_clock.h"
#include <vendor_random.h>

// A chain: the error in the innermost helper, notes back to the workflow. Reached three times,
// reported once.
int roll() { return rand(); }
// CHECK: nondeterministic-call-in-helper.cpp:[[@LINE-1]]:21: error: rand() in 'roll', called from workflow 'dice', is not deterministic: a workflow body and the functions it calls run again on every replay [nondeterministic-call]
// CHECK: nondeterministic-call-in-helper.cpp:[[@LINE-2]]:21: note: hint: use workflow::random() or workflow::random_u64(), which repeat on replay; or, if this is intended, add the comment '// workflow: {{allow-nondeterminism}}' here or at the call in the workflow
int roll_twice() { return roll() + roll(); }
[[workflow::workflow]] int dice() { return roll_twice() + roll(); }
// CHECK: nondeterministic-call-in-helper.cpp:[[@LINE-2]]:27: note: 'roll' called from 'roll_twice' here
// CHECK: nondeterministic-call-in-helper.cpp:[[@LINE-2]]:44: note: 'roll_twice' called from workflow 'dice' here

// Member functions and constructors (member initializers included).
struct Stopwatch {
  Stopwatch() : start(std::chrono::steady_clock::now()) {}
// CHECK: nondeterministic-call-in-helper.cpp:[[@LINE-1]]:23: error: std::chrono::steady_clock::now() in 'Stopwatch::Stopwatch', called from workflow 'timed'
// CHECK: nondeterministic-call-in-helper.cpp:[[@LINE+7]]:13: note: 'Stopwatch::Stopwatch' called from workflow 'timed' here
  long elapsed() const { return (std::chrono::steady_clock::now() - start).count(); }
// CHECK: nondeterministic-call-in-helper.cpp:[[@LINE-1]]:34: error: std::chrono::steady_clock::now() in 'Stopwatch::elapsed', called from workflow 'timed'
// CHECK: nondeterministic-call-in-helper.cpp:[[@LINE+5]]:16: note: 'Stopwatch::elapsed' called from workflow 'timed' here
  std::chrono::steady_clock::time_point start;
};
[[workflow::workflow]] long timed() {
  Stopwatch watch;
  return watch.elapsed();
}

// Function template instantiations: one report for the call however many instantiations make it.
template <class T>
T jitter(T value) { return value + static_cast<T>(rand() % 3); }
// CHECK: nondeterministic-call-in-helper.cpp:[[@LINE-1]]:51: error: rand() in 'jitter', called from workflow 'wobbly'
[[workflow::workflow]] double wobbly(int x) { return jitter(x) + jitter(2.0); }
// CHECK: nondeterministic-call-in-helper.cpp:[[@LINE-1]]:54: note: 'jitter' called from workflow 'wobbly' here

// Lambdas: one at namespace scope; those written inside a helper are part of it (a generic one
// through its instantiations).
inline auto pick = [](int n) { return rand() % n; };
// CHECK: nondeterministic-call-in-helper.cpp:[[@LINE-1]]:39: error: rand() in the lambda at nondeterministic-call-in-helper.cpp:[[@LINE-1]], called from workflow 'lucky'
[[workflow::workflow]] int lucky() { return pick(6); }
// CHECK: nondeterministic-call-in-helper.cpp:[[@LINE-1]]:45: note: the lambda at nondeterministic-call-in-helper.cpp:{{[0-9]+}} called from workflow 'lucky' here

int stamp(std::vector<long> values) {
  std::for_each(values.begin(), values.end(), [](long& v) { v += clock(); });
// CHECK: nondeterministic-call-in-helper.cpp:[[@LINE-1]]:66: error: clock() in 'stamp', called from workflow 'stamped'
// CHECK: nondeterministic-call-in-helper.cpp:[[@LINE+7]]:47: note: 'stamp' called from workflow 'stamped' here
  auto later = [](auto v) { return v + seconds_now(); };
// CHECK: Inputs{{[/\\]}}helper_clock.h:6:54: error: time() in 'seconds_now', called from workflow 'stamped'
// CHECK: nondeterministic-call-in-helper.cpp:[[@LINE-2]]:40: note: 'seconds_now' called from 'stamp' here
// CHECK: nondeterministic-call-in-helper.cpp:[[@LINE+3]]:47: note: 'stamp' called from workflow 'stamped' here
  return static_cast<int>(later(values.size()));
}
[[workflow::workflow]] int stamped() { return stamp({1, 2}); }

// A function passed as a value is followed too.
bool by_chance(int, int) { return rand() % 2; }
// CHECK: nondeterministic-call-in-helper.cpp:[[@LINE-1]]:35: error: rand() in 'by_chance', called from workflow 'sorted'
[[workflow::workflow]] std::vector<int> sorted(std::vector<int> values) {
  std::sort(values.begin(), values.end(), by_chance);
// CHECK: nondeterministic-call-in-helper.cpp:[[@LINE-1]]:43: note: 'by_chance' used in workflow 'sorted' here
  return values;
}

// Suppressed at the call in the helper, at the helper's call in the workflow (on the line or the
// line above, which covers everything that helper calls); a system header's function is not
// looked into; a step may do anything; a workflow called from a workflow is a child run, checked
// on its own.
int logged_roll() {
  return rand();  // workflow: allow-nondeterminism
}
int unlogged_roll() { return rand(); }
int two_rolls() { return unlogged_roll() + roll(); }
[[workflow::step]] int charge(int cents) { return cents + roll(); }
[[workflow::workflow]] int child(int x) { return x; }
[[workflow::workflow]] int quiet(int x) {
  int a = logged_roll() + unlogged_roll();  // workflow: allow-nondeterminism
  // workflow: allow-nondeterminism
  int b = two_rolls();
  return a + b + vendor_roll() + charge(x) + child(x);
}

// A default argument runs at the call, in the body: its calls are the body's.
// RUN: not %wfc --root %S %s -o %t.default.cpp -- %flags -isystem %S/Inputs/system -DDEFAULT_ARGUMENT 2>&1 | FileCheck %s --check-prefix=DEFAULT
#ifdef DEFAULT_ARGUMENT
#include <ctime>
[[workflow::step]] int stamp_at(long at = static_cast<long>(std::time(nullptr)));
[[workflow::workflow]] int stamped_now() { return stamp_at(); }
// DEFAULT: nondeterministic-call-in-helper.cpp:[[@LINE-1]]:51: error: time() (in the default argument of parameter 'at') in workflow 'stamped_now' is not deterministic
#endif
