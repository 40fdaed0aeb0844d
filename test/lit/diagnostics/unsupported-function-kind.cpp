// Templates, coroutines, non-static members and variadic functions cannot be dispatched by ID.
// RUN: not %wfc --root %S %s -o %t.cpp -- %flags 2>&1 | FileCheck %s
#include <coroutine>
template <class T> [[workflow::step]] T identity(T value) { return value; }
// CHECK: unsupported-function-kind.cpp:[[@LINE-1]]:41: error: step 'identity' is a template, which cannot be journaled under one stable ID [unsupported-function-kind]
// CHECK: note: hint: tag a non-template function that calls the template with concrete types
struct Cart {
  [[workflow::step]] int total(int x);
// CHECK: unsupported-function-kind.cpp:[[@LINE-1]]:26: error: step 'Cart::total' is a non-static member function; there is no object to call it on when a run resumes in another process [unsupported-function-kind]
// CHECK: note: hint: make it a static member or a free function taking the object's data as a parameter
  [[workflow::step]] static int fine(int x) { return x; }
};
[[workflow::step]] int log_all(int count, ...);
// CHECK: unsupported-function-kind.cpp:[[@LINE-1]]:24: error: step 'log_all' is variadic
struct Task {
  struct promise_type {
    Task get_return_object() { return {}; }
    std::suspend_never initial_suspend() { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
[[workflow::workflow]] Task coroutine_flow(int x) { co_return; }
// CHECK: unsupported-function-kind.cpp:[[@LINE-1]]:29: error: workflow 'coroutine_flow' is a coroutine
