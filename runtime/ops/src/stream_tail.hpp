// The server-sent-events tail of one run stream (`GET /api/runs/<id>/streams/<ns>`), independent
// of the HTTP library: a place among the server's kMaxStreamTails, the journal reader, and the
// text each chunk becomes. The server pumps next() on a thread of the tail's own.
#pragma once

#include <workflow/streams.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace workflow::ops {

/// At most this many tails are open at once: each holds a thread while it lives.
constexpr int kMaxStreamTails = 32;

class StreamTail {
 public:
  /// Takes a place and opens the reader, so an unknown run throws (404) before any event-stream
  /// header goes out. Returns nullptr when kMaxStreamTails tails are open already.
  static std::unique_ptr<StreamTail> open(const std::string& run_id, const std::string& name_space,
                                          std::int64_t start_index);
  ~StreamTail();
  StreamTail(const StreamTail&) = delete;
  StreamTail& operator=(const StreamTail&) = delete;

  /// Waits up to about a second and returns the text to send next: a chunk as an event, a
  /// keep-alive comment after 15 s of silence, or "" when there is nothing yet. Once the stream
  /// ends (or reading it fails) returns the final `end` (or `error`) event and sets `finished`.
  std::string next(bool& finished);

 private:
  explicit StreamTail(StreamReader reader);
  StreamReader reader_;
  std::chrono::steady_clock::time_point quiet_since_;
};

}  // namespace workflow::ops
