// The listening thread of a PostgreSQL journal store: poll() on the connection's socket and on
// an eventfd that stops it, then PQconsumeInput and PQnotifies.
#include "store/postgres/pg_listener.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <system_error>

namespace workflow::detail {

PgChangeListener::PgChangeListener(PgLink& link, std::string channel, std::string own_token)
    : link_(link), channel_(std::move(channel)), own_token_(std::move(own_token)) {
  stop_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stop_fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
}

PgChangeListener::~PgChangeListener() {
  stopping_ = true;
  std::uint64_t one = 1;
  [[maybe_unused]] auto written = ::write(stop_fd_, &one, sizeof one);
  if (thread_.joinable()) thread_.join();
  ::close(stop_fd_);
}

void PgChangeListener::start() {
  std::lock_guard lock(mutex_);
  if (!thread_.joinable()) thread_ = std::thread([this] { listen_until_stopped(); });
}

std::uint64_t PgChangeListener::wait(std::uint64_t seen, TimePoint deadline) {
  start();
  std::unique_lock lock(mutex_);
  changed_.wait_until(lock, system_time(deadline), [&] { return changes_ > seen || interrupted_; });
  return changes_;
}

void PgChangeListener::interrupt() {
  {
    std::lock_guard lock(mutex_);
    interrupted_ = true;
  }
  changed_.notify_all();
}

void PgChangeListener::note_change() {
  {
    std::lock_guard lock(mutex_);
    ++changes_;
  }
  changed_.notify_all();
}

void PgChangeListener::listen_until_stopped() {
  std::unique_ptr<PgConnection> connection;
  while (!stopping_) {
    if (!connection) {
      try {
        connection = link_.connect(/*retry=*/true, stop_fd_);
        connection->exec("LISTEN \"" + channel_ + "\"");
      } catch (const std::exception&) {
        if (connection) link_.check(*connection);
        connection.reset();
        // The link said why; it retried for the connect timeout. Pause, then try again.
        pollfd stop{stop_fd_, POLLIN, 0};
        ::poll(&stop, 1, 1000);
        continue;
      }
      // Whatever was committed while nobody listened went unnoticed (also before the first
      // LISTEN, by a process a waiter started to wait for earlier): waiters look again.
      note_change();
    } else {
      // poll() ignores a closed socket (-1): this thread would then only ever wake to stop.
      int socket = PQsocket(connection->handle());
      pollfd fds[2] = {{socket, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
      if (socket >= 0 && (::poll(fds, 2, -1) < 0 || stopping_ || fds[0].revents == 0)) continue;
      if (socket < 0 || PQconsumeInput(connection->handle()) == 0 || connection->broken()) {
        link_.lost(connection->generation(), one_line(PQerrorMessage(connection->handle())));
        connection.reset();
        continue;
      }
    }
    // Notifications read along with the LISTEN reply wait here too, not only those just read.
    bool news = false;
    while (PGnotify* notification = PQnotifies(connection->handle())) {
      if (own_token_ != notification->extra) news = true;
      PQfreemem(notification);
    }
    if (news) note_change();
  }
}

}  // namespace workflow::detail
