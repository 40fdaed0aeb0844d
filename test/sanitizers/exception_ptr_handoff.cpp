// Shows that ThreadSanitizer reports a race where there is none when an exception crosses threads
// as a std::exception_ptr and the thread that threw it drops the last reference: the reference
// count lives in libstdc++, which is not instrumented, so TSan does not see the atomic decrement
// that orders the reader's use before the destruction. This is the pattern of the write queue's
// batches (write_queue.cpp) that test/sanitizers/tsan.supp suppresses; the tests
// sanitizer.exception-ptr-handoff.* run this program without and with that file.
#include <atomic>
#include <cstdio>
#include <exception>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>

int main() {
  std::promise<void> handed;
  auto received = handed.get_future();
  // Relaxed, so that TSan sees no synchronization in it: it only makes the thrower's references
  // the last ones every time. The order of the reads before the destruction still holds, through
  // the reference count.
  std::atomic<bool> reader_done{false};
  // The promise (and with it the shared state's reference) belongs to the thrower's thread.
  std::thread thrower([handed = std::move(handed), &reader_done]() mutable {
    std::exception_ptr error;
    try {
      throw std::runtime_error("a message long enough to be allocated on the heap, as a journal error's is");
    } catch (...) {
      error = std::current_exception();
    }
    handed.set_exception(error);
    while (!reader_done.load(std::memory_order_relaxed)) std::this_thread::yield();
    // Dropping `error` and the promise destroys the exception on this thread.
  });
  try {
    received.get();
  } catch (const std::exception& error) {
    std::printf("received: %zu characters\n", std::string(error.what()).size());
  }
  reader_done.store(true, std::memory_order_relaxed);
  thrower.join();
  return 0;
}
