// One store's link to the PostgreSQL server, shared by all its connections: opens them, with
// back-off while the server is unreachable, and tells the operator once when the link is lost
// and once when it is back, however many connections notice.
#pragma once

#include "store/postgres/pg_connection.hpp"

#include <atomic>
#include <memory>
#include <mutex>

namespace workflow::detail {

class PgLink {
 public:
  explicit PgLink(PgTarget target) : target_(std::move(target)) {}

  const PgTarget& target() const { return target_; }

  /// A new connection. `retry`: while the server does not answer (a refused password or a
  /// missing database is an answer, given at once), keep trying with back-off
  /// (50 ms doubling to 2 s) for up to StoreOptions::connect_timeout, then throw
  /// PgConnectionLostError; otherwise one attempt. Gives up at once when `cancel_fd` (if not -1)
  /// becomes readable.
  std::unique_ptr<PgConnection> connect(bool retry, int cancel_fd = -1);

  /// A connection of generation `generation` broke because of `reason`. The first to report a
  /// loss prints it and starts a new generation: connections of older ones are replaced before
  /// their next use. Reports from connections older than the known loss are not news.
  void lost(std::uint64_t generation, const std::string& reason);
  /// Reports `connection` as lost if it broke.
  void check(const PgConnection& connection);

  /// Connections of older generations predate a loss: probably dead, never reused.
  std::uint64_t generation() const { return generation_; }

 private:
  void connected();

  PgTarget target_;
  std::mutex mutex_;
  bool down_ = false;
  std::atomic<std::uint64_t> generation_{0};
};

}  // namespace workflow::detail
