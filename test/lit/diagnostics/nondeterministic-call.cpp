// Non-deterministic calls in a workflow body: each names the deterministic alternative, and
// each is suppressible by the documented comment.
// RUN: not %wfc --root %S %s -o %t.cpp -- %flags 2>&1 | FileCheck %s
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <future>
#include <random>
#include <thread>
#include <sys/socket.h>

[[workflow::step]] int work(int x);

[[workflow::workflow]] int flow(int x) {
  auto a = std::chrono::system_clock::now();
// CHECK: nondeterministic-call.cpp:[[@LINE-1]]:12: error: std::chrono::system_clock::now() in workflow 'flow' is not deterministic: a workflow body runs again on every replay [nondeterministic-call]
// CHECK: note: hint: use workflow::now(), which returns the same time on replay; or, if this is intended, add the comment '// workflow: {{allow-nondeterminism}}'
  auto b = std::chrono::steady_clock::now();
// CHECK: nondeterministic-call.cpp:[[@LINE-1]]:12: error: std::chrono::steady_clock::now()
  auto c = time(nullptr);
// CHECK: nondeterministic-call.cpp:[[@LINE-1]]:12: error: time() in workflow 'flow'
// CHECK: note: hint: use workflow::now()
  int d = rand();
// CHECK: nondeterministic-call.cpp:[[@LINE-1]]:11: error: rand() in workflow 'flow'
// CHECK: note: hint: use workflow::random() or workflow::random_u64(), which repeat on replay
  std::random_device device;
// CHECK: nondeterministic-call.cpp:[[@LINE-1]]:22: error: std::random_device in workflow 'flow'
// CHECK: note: hint: use workflow::random()
  std::thread thread([] {});
// CHECK: nondeterministic-call.cpp:[[@LINE-1]]:15: error: std::thread in workflow 'flow'
// CHECK: note: hint: do the concurrent work inside a {{\[\[}}workflow::step]]
  auto future = std::async([] { return 1; });
// CHECK: nondeterministic-call.cpp:[[@LINE-1]]:17: error: std::async() in workflow 'flow'
  std::this_thread::sleep_for(std::chrono::seconds(1));
// CHECK: nondeterministic-call.cpp:[[@LINE-1]]:3: error: std::this_thread::sleep_for() in workflow 'flow'
// CHECK: note: hint: use workflow::sleep(), a durable timer that holds no thread
  const char* home = getenv("HOME");
// CHECK: nondeterministic-call.cpp:[[@LINE-1]]:22: error: getenv() in workflow 'flow'
// CHECK: note: hint: do it in a {{\[\[}}workflow::step]], whose result is journaled
  FILE* file = fopen("/tmp/x", "r");
// CHECK: nondeterministic-call.cpp:[[@LINE-1]]:16: error: fopen() in workflow 'flow'
  std::ifstream stream("/tmp/x");
// CHECK: nondeterministic-call.cpp:[[@LINE-1]]:17: error: std::basic_ifstream in workflow 'flow'
  int fd = socket(AF_INET, SOCK_STREAM, 0);
// CHECK: nondeterministic-call.cpp:[[@LINE-1]]:12: error: socket() in workflow 'flow'
  auto e = std::chrono::system_clock::now();  // workflow: allow-nondeterminism
  // workflow: allow-nondeterminism
  int f = rand();
  auto in_lambda = [] { return rand(); };
// CHECK: nondeterministic-call.cpp:[[@LINE-1]]:32: error: rand() in workflow 'flow'
  (void)a; (void)b; (void)c; (void)home; (void)file; (void)fd; (void)e; (void)in_lambda;
  return work(x) + d + f;
}
// Ordinary functions and steps may do all of this.
[[workflow::step]] int work(int x) { return x + rand(); }
int helper() { return static_cast<int>(time(nullptr)); }
// CHECK-NOT: error:
