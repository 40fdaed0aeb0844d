// The group-commit writer thread.
#include "engine/write_queue.hpp"

#include <algorithm>
#include <future>

namespace workflow::detail {

WriteQueue::WriteQueue(JournalStore& store) : store_(store), writer_([this] { writer_loop(); }) {}

WriteQueue::~WriteQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_available_.notify_one();
  writer_.join();
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
    pending_.push_back(Item{std::move(write), durability, std::move(done)});
  }
  work_available_.notify_one();
}

void WriteQueue::writer_loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    work_available_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    if (pending_.empty()) return;  // stopping, and everything is committed
    std::deque<Item> batch;
    batch.swap(pending_);
    lock.unlock();
    commit_batch(batch);
    lock.lock();
  }
}

void WriteQueue::commit_batch(std::deque<Item>& batch) {
  std::vector<std::exception_ptr> errors(batch.size());
  std::exception_ptr commit_error;
  try {
    bool durable = std::any_of(batch.begin(), batch.end(), [](const Item& item) {
      return item.durability == Durability::durable;
    });
    auto transaction = store_.write(durable);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      transaction->savepoint();
      try {
        batch[i].write(*transaction);
        transaction->release_savepoint();
      } catch (...) {
        errors[i] = std::current_exception();
        transaction->rollback_to_savepoint();
      }
    }
    transaction->commit();
  } catch (...) {
    commit_error = std::current_exception();
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].done) batch[i].done(commit_error ? commit_error : errors[i]);
  }
}

}  // namespace workflow::detail
