// A fixed set of threads that run queued jobs: `wf serve` answers requests on them, so a journal
// query or a durable commit never holds one of libmicrohttpd's polling threads, and concurrent
// starts share group commits as they did when every connection had a thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace workflow::ops {

class WorkPool {
 public:
  explicit WorkPool(unsigned threads);
  /// stop().
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  /// Queues `job`; thread-safe. Jobs must not throw. After stop(), runs it at once instead.
  void post(std::function<void()> job);
  /// Runs the jobs queued, then joins the threads.
  void stop();

 private:
  void work();

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace workflow::ops
