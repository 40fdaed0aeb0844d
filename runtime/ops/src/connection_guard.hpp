// Deadlines for receiving requests. libmicrohttpd's own timeout is for inactivity, which a client
// sending a byte every few seconds never trips; this guard gives each request a hard deadline
// from the moment the connection is ready for it (opened, or done with the previous response) to
// the moment its last body byte is in, and shuts down connections that miss it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace workflow::ops {

class ConnectionGuard {
 public:
  /// Starts the watchdog thread.
  explicit ConnectionGuard(std::chrono::milliseconds request_deadline);
  /// Stops the watchdog thread; shuts down nothing.
  ~ConnectionGuard();
  ConnectionGuard(const ConnectionGuard&) = delete;
  ConnectionGuard& operator=(const ConnectionGuard&) = delete;

  /// A connection on socket `fd` was accepted: its first request is due within the deadline.
  void opened(const void* connection, int fd);
  /// The connection's request arrived whole: no deadline while it is answered.
  void request_received(const void* connection);
  /// The response went out and the connection stays open: the next request is due.
  void response_sent(const void* connection);
  /// The library is about to close the socket. Must be called before the fd is closed, so the
  /// watchdog never shuts down a number the system has given to another socket meanwhile.
  void closed(const void* connection);

 private:
  struct Entry {
    int fd;
    bool awaiting_request;
    std::chrono::steady_clock::time_point due;
  };
  void watch();

  const std::chrono::milliseconds deadline_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::unordered_map<const void*, Entry> connections_;
  std::thread watchdog_;
};

}  // namespace workflow::ops
