// Streams: a run's ordered, durable sequences of chunks (progress lines, partial results, tokens),
// written from steps or the workflow body and read live by any process sharing the journal.
//
// Each chunk is written once: a chunk is keyed by the call that wrote it and its number there, so
// a step retried or re-executed after a crash, or a workflow body replayed, writing the same
// chunks again appends nothing (the first version of a chunk wins). See docs/streams.md.
#pragma once

#include <workflow/serialization.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace workflow {

/// Writes chunks to one stream of the current run. Writing does not wait for the disk: chunks are
/// committed in order, visible to readers within about a millisecond, and durable before the
/// step that wrote them is recorded as finished (so a crash never loses a chunk of a finished
/// step; a chunk that cannot be committed fails the step attempt). Copies share one writer, and
/// a writer may be used from several threads (parallel branches). A writer is valid while the
/// step or workflow body that opened it runs; chunks written after its run ended, or by an
/// attempt that a restart replaced or a step timeout abandoned, are dropped.
class StreamWriter {
 public:
  struct State;
  explicit StreamWriter(std::shared_ptr<State> state) : state_(std::move(state)) {}

  /// Appends `chunk` (anything serializable) as the stream's next chunk; throws
  /// std::invalid_argument for a chunk that is not valid JSON (a string with invalid UTF-8).
  template <class T>
  void write(const T& chunk) {
    if constexpr (std::is_convertible_v<const T&, std::string_view>)
      write_json(Json(std::string(std::string_view(chunk))));  // string literals too
    else
      write_json(detail::to_journal(chunk));
  }
  /// Waits until every chunk written so far is committed; throws StorageError if one could not be.
  void flush();
  /// Closes the stream after the chunks written so far: readers end there, later writes throw.
  /// Streams a run leaves open end with the run.
  void close();
  const std::string& name_space() const;

 private:
  void write_json(Json chunk);
  std::shared_ptr<State> state_;
};

/// The stream `name_space` of the current run, for writing. Steps and workflow bodies; throws
/// NotInWorkflowError elsewhere.
StreamWriter get_writable(std::string_view name_space = "default");

/// Which stream to read, and from where.
struct ReadableOptions {
  std::string name_space = "default";
  /// The first chunk to read; a negative index counts from the end (-1: the last chunk written
  /// when the reader opened).
  std::int64_t start_index = 0;
};

/// A stream as it is now.
struct StreamInfo {
  std::string name_space;
  /// Chunks written so far.
  std::int64_t length = 0;
  /// Closed by its writer or ended with the run.
  bool closed = false;
};

/// Reads one stream of a run: the chunks already written, then new ones as they are written,
/// until the stream is closed or the run has ended. Works from any process sharing the journal.
class StreamReader {
 public:
  StreamReader(std::string run_id, std::string name_space, std::int64_t start_index);

  /// The next chunk, waiting as long as it takes; nothing once the stream has ended.
  std::optional<Json> next();
  /// The same, but throws TimeoutError if no chunk arrives and the stream does not end within
  /// `timeout`.
  std::optional<Json> next(std::chrono::milliseconds timeout);
  /// The index of the chunk next() returns next.
  std::int64_t position() const { return position_; }

  /// Range-for over the chunks: `for (const Json& chunk : run.get_readable()) ...`.
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Json;
    using difference_type = std::ptrdiff_t;
    using pointer = const Json*;
    using reference = const Json&;
    iterator() = default;
    explicit iterator(StreamReader* reader) : reader_(reader) { ++*this; }
    reference operator*() const { return *current_; }
    pointer operator->() const { return &*current_; }
    iterator& operator++() {
      current_ = reader_->next();
      if (!current_) reader_ = nullptr;
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& a, const iterator& b) { return a.reader_ == b.reader_; }
    friend bool operator!=(const iterator& a, const iterator& b) { return !(a == b); }

   private:
    StreamReader* reader_ = nullptr;
    std::optional<Json> current_;
  };
  iterator begin() { return iterator(this); }
  iterator end() { return iterator(); }

 private:
  std::optional<Json> next_until(std::optional<std::chrono::steady_clock::time_point> deadline);

  std::string run_id_;
  std::string name_space_;
  std::int64_t position_ = 0;
  std::deque<Json> buffered_;
  bool ended_ = false;
};

}  // namespace workflow
