// In a generic lambda in a workflow body, a call resolved only per instantiation is checked in
// the instantiations: reported once at the call, however many instantiations make it; a helper
// reached only that way is followed.
// RUN: %expect-exit 1 %wfc --root %S %s -o %t.cpp -- %flags 2>&1 | FileCheck %s --implicit-check-not=error:
#include <chrono>
#include <cstdlib>
#include <thread>

template <class T>
T noise(T x);

[[workflow::workflow]] int flow(int x) {
  auto nap = [](auto duration) { std::this_thread::sleep_for(duration); };
// CHECK: nondeterministic-call-generic-lambda.cpp:[[@LINE-1]]:34: error: std::this_thread::sleep_for() in workflow 'flow' is not deterministic
  nap(std::chrono::seconds(1));
  nap(std::chrono::milliseconds(5));
  auto noisy = [](auto y) { return noise(y); };
  return noisy(x) + static_cast<int>(noisy(1.5));
}

template <class T>
T noise(T x) { return x + static_cast<T>(rand()); }
// CHECK: nondeterministic-call-generic-lambda.cpp:[[@LINE-1]]:42: error: rand() in 'noise', called from workflow 'flow'
// CHECK: nondeterministic-call-generic-lambda.cpp:[[@LINE-7]]:36: note: 'noise' called from workflow 'flow' here
