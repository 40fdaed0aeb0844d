// See connection_guard.hpp. The watchdog uses shutdown(), never close(): the socket stays the
// library's to close, which it then does because reads fail. The mutex is held from the check to
// the shutdown() and closed() takes it too, so the fd still belongs to the connection checked.
#include "connection_guard.hpp"

#include <sys/socket.h>

namespace workflow::ops {

ConnectionGuard::ConnectionGuard(std::chrono::milliseconds request_deadline)
    : deadline_(request_deadline), watchdog_([this] { watch(); }) {}

ConnectionGuard::~ConnectionGuard() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  watchdog_.join();
}

void ConnectionGuard::opened(const void* connection, int fd) {
  std::lock_guard lock(mutex_);
  connections_[connection] = {fd, true, std::chrono::steady_clock::now() + deadline_};
}

void ConnectionGuard::request_received(const void* connection) {
  std::lock_guard lock(mutex_);
  auto found = connections_.find(connection);
  if (found != connections_.end()) found->second.awaiting_request = false;
}

void ConnectionGuard::response_sent(const void* connection) {
  std::lock_guard lock(mutex_);
  auto found = connections_.find(connection);
  if (found == connections_.end()) return;
  found->second.awaiting_request = true;
  found->second.due = std::chrono::steady_clock::now() + deadline_;
}

void ConnectionGuard::closed(const void* connection) {
  std::lock_guard lock(mutex_);
  connections_.erase(connection);
}

void ConnectionGuard::watch() {
  // Checking a few times per deadline keeps the overshoot small without busy waking.
  auto period = std::max(std::chrono::milliseconds(100), deadline_ / 8);
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, period, [this] { return stopping_; })) {
    auto now = std::chrono::steady_clock::now();
    for (auto& [connection, entry] : connections_) {
      if (!entry.awaiting_request || entry.due > now) continue;
      shutdown(entry.fd, SHUT_RDWR);
      entry.awaiting_request = false;  // once is enough; the library closes it
    }
  }
}

}  // namespace workflow::ops
