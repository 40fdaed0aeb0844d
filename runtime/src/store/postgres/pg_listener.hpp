// Learns of other processes' commits to a PostgreSQL journal: LISTEN on a connection of its own,
// read by one background thread that any number of waiters wait on.
//
// Every write transaction that changed something notifies the journal's channel with its store's
// token at commit; notifications carrying this store's own token are not news. A lost listening
// connection is re-established with back-off, and counts as a change: notifications sent
// meanwhile are gone.
#pragma once

#include "store/postgres/pg_link.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace workflow::detail {

class PgChangeListener {
 public:
  PgChangeListener(PgLink& link, std::string channel, std::string own_token);
  PgChangeListener(const PgChangeListener&) = delete;
  PgChangeListener& operator=(const PgChangeListener&) = delete;
  /// Stops the thread without waiting for the server (a connection attempt in progress is dropped).
  ~PgChangeListener();

  /// Starts listening, if not yet started.
  void start();
  /// JournalStore::wait_for_change: starts listening if need be.
  std::uint64_t wait(std::uint64_t seen, TimePoint deadline);
  /// Makes every wait, present and future, return at once (the store is shutting down).
  void interrupt();

 private:
  void listen_until_stopped();
  void note_change();

  PgLink& link_;
  std::string channel_;
  std::string own_token_;
  // Readable once the destructor wants the thread to stop: it interrupts polls and connecting.
  int stop_fd_ = -1;
  std::atomic<bool> stopping_{false};

  std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t changes_ = 0;
  bool interrupted_ = false;
  std::thread thread_;  // started by start(), under mutex_
};

}  // namespace workflow::detail
