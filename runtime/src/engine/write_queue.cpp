// The group-commit writer thread.
#include "engine/write_queue.hpp"

#include "engine/commit_log.hpp"
#include "log/logger.hpp"

#include <algorithm>
#include <future>
#include <thread>
#include <utility>

namespace workflow::detail {

WriteQueue::WriteQueue(JournalStore& store, std::function<void()> on_commit, CommitObserver observe)
    : store_(store), on_commit_(std::move(on_commit)), observe_(std::move(observe)), notifier_([this] { notifier_loop(); }), writer_([this] { writer_loop(); }) {}

WriteQueue::~WriteQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_available_.notify_one();
  writer_.join();
  {
    std::lock_guard lock(completions_mutex_);
    writer_done_ = true;
  }
  completions_available_.notify_one();
  notifier_.join();
}

void WriteQueue::run(Write write, Durability durability) {
  std::promise<void> committed;
  auto result = committed.get_future();
  post(std::move(write), durability, [&committed](std::exception_ptr error) {
    if (error) committed.set_exception(error);
    else committed.set_value();
  });
  result.get();
}

void WriteQueue::post(Write write, Durability durability,
                      std::function<void(std::exception_ptr)> done) {
  {
    std::lock_guard lock(mutex_);
    pending_.push_back(Item{std::move(write), durability, std::move(done), {}});
    if (durability == Durability::durable) ++durable_pending_;
  }
  work_available_.notify_one();
}

void WriteQueue::writer_loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    work_available_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    if (pending_.empty()) return;  // stopping, and everything is committed
    if (durable_pending_ == 0 && !stopping_)
      work_available_.wait_for(lock, kLazyDelay, [this] { return stopping_ || durable_pending_ > 0; });
    std::deque<Item> batch;
    batch.swap(pending_);
    durable_pending_ = 0;
    lock.unlock();
    commit_batch(batch);
    lock.lock();
  }
}

void WriteQueue::commit_batch(std::deque<Item>& batch) {
  std::vector<std::exception_ptr> errors(batch.size());
  std::exception_ptr commit_error;
  bool durable = std::any_of(batch.begin(), batch.end(), [](const Item& item) {
    return item.durability == Durability::durable;
  });
  // Writes check before they write, so they rarely throw. When one does, the transaction is
  // rolled back and the batch runs again without it: cheaper in the common case than a savepoint
  // around every write. A transaction the backend aborted to resolve a conflict with another
  // process (a deadlock between two workers' batches) runs again whole, after a short pause that
  // grows so that the two do not meet again in step. Writes must therefore be safe to run again
  // (they assign their results afresh).
  auto conflict_pause = std::chrono::milliseconds(1);
  auto began = std::chrono::steady_clock::now();
  for (bool retry = true; retry;) {
    retry = false;
    try {
      auto transaction = store_.write(durable);
      for (std::size_t i = 0; i < batch.size() && !retry; ++i) {
        if (errors[i]) continue;
        try {
          batch[i].notes.clear();  // a write run again notes afresh
          CommitNotes notes(batch[i].notes);
          batch[i].write(*transaction);
        } catch (const TransactionConflictError&) {
          throw;
        } catch (...) {
          errors[i] = std::current_exception();
          retry = true;
        }
      }
      if (!retry) transaction->commit();
    } catch (const TransactionConflictError&) {
      if (conflict_pause > kMaxConflictPause) {
        commit_error = std::current_exception();
      } else {
        std::this_thread::sleep_for(conflict_pause);
        conflict_pause *= 2;
        retry = true;
      }
    } catch (...) {
      commit_error = std::current_exception();
    }
  }
  if (!commit_error && on_commit_) on_commit_();
  if (!commit_error && observe_) observe_(batch.size(), std::chrono::steady_clock::now() - began);
  // A small batch is answered at once (one hop less for a lone waiter); a large one is handed to
  // the notifier so that the wake-ups overlap with the next batch.
  if (batch.size() <= kNotifyInline) {
    for (std::size_t i = 0; i < batch.size(); ++i)
      if (batch[i].done) batch[i].done(commit_error ? commit_error : errors[i]);
  } else {
    {
      std::lock_guard lock(completions_mutex_);
      for (std::size_t i = 0; i < batch.size(); ++i)
        if (batch[i].done)
          completions_.push_back({std::move(batch[i].done), commit_error ? commit_error : errors[i]});
    }
    completions_available_.notify_one();
  }
  // Once the callers are told, so that the log adds nothing to their wait; still before the next
  // batch, so that the lines follow the order of the commits.
  if (commit_error) return;
  for (std::size_t i = 0; i < batch.size(); ++i)
    if (!errors[i])
      for (const auto& record : batch[i].notes) process_logger().log(record);
}

void WriteQueue::notifier_loop() {
  std::unique_lock lock(completions_mutex_);
  for (;;) {
    completions_available_.wait(lock, [this] { return writer_done_ || !completions_.empty(); });
    if (completions_.empty()) return;
    auto ready = std::exchange(completions_, {});
    lock.unlock();
    for (auto& completion : ready) completion.done(completion.error);
    lock.lock();
  }
}

}  // namespace workflow::detail
