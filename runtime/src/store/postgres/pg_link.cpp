// Reconnecting to the PostgreSQL server with back-off, and the two lines an operator sees when
// the server goes away and comes back.
#include "store/postgres/pg_link.hpp"

#include "log/logger.hpp"

#include <poll.h>

#include <algorithm>
#include <thread>

namespace workflow::detail {
namespace {

// Sleeps for `pause`, or until `cancel_fd` becomes readable; whether it did.
bool sleep_unless_cancelled(std::chrono::milliseconds pause, int cancel_fd) {
  if (cancel_fd < 0) {
    std::this_thread::sleep_for(pause);
    return false;
  }
  pollfd fd{cancel_fd, POLLIN, 0};
  return ::poll(&fd, 1, static_cast<int>(pause.count())) > 0;
}

// A server that is down, restarting or out of reach may answer soon; a refused password or a
// database that does not exist will not.
bool may_pass(const std::string& reason) {
  for (const char* permanent : {"password", "authentication", "does not exist", "no pg_hba.conf entry",
                                "permission denied", "role \""})
    if (reason.find(permanent) != std::string::npos) return false;
  return true;
}

bool cancelled(int cancel_fd) { return cancel_fd >= 0 && sleep_unless_cancelled(std::chrono::milliseconds(0), cancel_fd); }

}  // namespace

std::unique_ptr<PgConnection> PgLink::connect(bool retry, int cancel_fd) {
  using Clock = std::chrono::steady_clock;
  auto deadline = Clock::now() + target_.options.connect_timeout;
  auto pause = std::chrono::milliseconds(50);
  for (;;) {
    auto generation = generation_.load();
    try {
      auto connection = std::make_unique<PgConnection>(target_, deadline, cancel_fd);
      connection->set_generation(generation);
      connected();
      return connection;
    } catch (const PgConnectionLostError& error) {
      if (!retry || !may_pass(error.reason()) || cancelled(cancel_fd) || Clock::now() + pause >= deadline) throw;
      lost(generation, error.reason());
      if (sleep_unless_cancelled(pause, cancel_fd)) throw;
      pause = std::min(pause * 2, std::chrono::milliseconds(2000));
    }
  }
}

void PgLink::lost(std::uint64_t generation, const std::string& reason) {
  std::lock_guard lock(mutex_);
  if (down_ || generation < generation_) return;
  down_ = true;
  ++generation_;
  log_message(LogLevel::warn, "journal " + target_.location + ": connection lost (" + reason + "); reconnecting");
}

void PgLink::check(const PgConnection& connection) {
  if (connection.broken()) lost(connection.generation(), one_line(PQerrorMessage(connection.handle())));
}

void PgLink::connected() {
  std::lock_guard lock(mutex_);
  if (!down_) return;
  down_ = false;
  log_message(LogLevel::info, "journal " + target_.location + ": reconnected");
}

}  // namespace workflow::detail
