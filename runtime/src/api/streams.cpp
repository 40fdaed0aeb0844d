// Stream writers and readers, on top of the engine's write queue and the journal store.
#include <workflow/errors.hpp>
#include <workflow/run.hpp>
#include <workflow/streams.hpp>

#include "engine/engine.hpp"
#include "engine/run_context.hpp"
#include "engine/stream_writers.hpp"
#include "util/time.hpp"

#include <algorithm>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <thread>

namespace workflow {

using detail::Engine;

namespace {

// Writes are queued without waiting; past this many uncommitted chunks a writer waits for the
// disk, so a fast producer cannot grow the queue without bound.
constexpr std::size_t kMaxUncommittedChunks = 4096;
// How many chunks a reader fetches per journal read.
constexpr std::size_t kReadBatch = 512;
// A tailing reader polls the journal: at once while chunks flow, backing off to this when idle.
constexpr std::chrono::milliseconds kMaxPollInterval{20};

}  // namespace

struct StreamWriter::State {
  std::shared_ptr<Engine> engine;
  std::string run_id;
  std::string name_space;
  std::string key_base;
  std::int64_t next_number = 0;
  bool closed = false;

  std::mutex mutex;
  std::condition_variable committed;
  std::size_t uncommitted = 0;
  std::exception_ptr error;

  std::string describe() const { return "run " + run_id + ": stream '" + name_space + "'"; }

  // Queues `write`; the write queue commits in order, so these chunks are committed before any
  // later write of this run (the step's result, the run's outcome).
  void post(std::function<void(detail::StoreTransaction&)> write) {
    std::unique_lock lock(mutex);
    committed.wait(lock, [&] { return uncommitted < kMaxUncommittedChunks; });
    if (error) std::rethrow_exception(error);
    ++uncommitted;
    lock.unlock();
    engine->writes().post(std::move(write), detail::WriteQueue::Durability::lazy,
                          [self = this, keep = engine](std::exception_ptr failure) {
                            std::lock_guard guard(self->mutex);
                            --self->uncommitted;
                            if (failure && !self->error) self->error = failure;
                            self->committed.notify_all();
                          });
  }

  void wait_committed() {
    std::unique_lock lock(mutex);
    committed.wait(lock, [&] { return uncommitted == 0; });
    if (error) std::rethrow_exception(error);
  }

  ~State() {
    // Outstanding completions point at this state.
    std::unique_lock lock(mutex);
    committed.wait(lock, [&] { return uncommitted == 0; });
  }
};

void StreamWriter::write_json(Json chunk) {
  auto& state = *state_;
  if (state.closed) throw InvalidTransitionError(state.describe() + " is closed; nothing more can be written");
  std::string key = state.key_base + "#" + std::to_string(state.next_number++);
  state.post([run_id = state.run_id, name_space = state.name_space, key = std::move(key),
              chunk = std::move(chunk)](detail::StoreTransaction& transaction) {
    transaction.append_stream_chunk(run_id, name_space, key, chunk, detail::wall_now());
  });
}

void StreamWriter::flush() { state_->wait_committed(); }

void StreamWriter::close() {
  auto& state = *state_;
  if (state.closed) return;
  state.closed = true;
  state.post([run_id = state.run_id, name_space = state.name_space](detail::StoreTransaction& transaction) {
    transaction.close_stream(run_id, name_space);
  });
}

const std::string& StreamWriter::name_space() const { return state_->name_space; }

StreamWriter get_writable(std::string_view name_space) {
  if (name_space.empty()) throw std::invalid_argument("workflow::get_writable: the namespace must not be empty");
  auto* writers = detail::current_step_stream_writers();
  if (!writers) {
    auto* context = detail::RunContext::current();
    if (!context)
      throw NotInWorkflowError("workflow::get_writable can only be used in a step or a workflow body of a run");
    writers = &context->stream_writers();
  }
  auto& slot = writers->by_namespace[std::string(name_space)];
  if (!slot) {
    slot = std::make_shared<StreamWriter::State>();
    slot->engine = Engine::instance();
    slot->run_id = detail::current_workflow_metadata()->run_id;
    slot->name_space = std::string(name_space);
    slot->key_base = writers->key_base + "/" + std::string(name_space);
  }
  return StreamWriter(slot);
}

StreamReader::StreamReader(std::string run_id, std::string name_space, std::int64_t start_index)
    : run_id_(std::move(run_id)), name_space_(std::move(name_space)), position_(start_index) {
  if (start_index >= 0) return;
  auto engine = Engine::instance();
  auto length = engine->store().read()->read_stream(run_id_, name_space_, 0, 0).state.length;
  position_ = std::max<std::int64_t>(0, length + start_index);
}

std::optional<Json> StreamReader::next() { return next_until(std::nullopt); }

std::optional<Json> StreamReader::next(std::chrono::milliseconds timeout) {
  return next_until(std::chrono::steady_clock::now() + timeout);
}

std::optional<Json> StreamReader::next_until(std::optional<std::chrono::steady_clock::time_point> deadline) {
  auto take = [&] {
    Json chunk = std::move(buffered_.front());
    buffered_.pop_front();
    ++position_;
    return chunk;
  };
  if (!buffered_.empty()) return take();
  if (ended_) return std::nullopt;
  auto engine = Engine::instance();
  auto interval = std::chrono::milliseconds(1);
  for (;;) {
    bool run_ended = false;
    detail::StreamSlice slice;
    {
      // Chunks and the run's status from one snapshot: a run that ended after its last chunk was
      // read cannot hide that chunk.
      auto transaction = engine->store().read();
      slice = transaction->read_stream(run_id_, name_space_, position_, kReadBatch);
      auto status = transaction->status_and_owner(run_id_);
      if (!status) throw RunNotFoundError(run_id_);
      run_ended = is_final(status->first);
    }
    if (!slice.chunks.empty()) {
      position_ = slice.chunks.front().index;
      for (auto& chunk : slice.chunks) buffered_.push_back(std::move(chunk.data));
      return take();
    }
    if (slice.state.closed || run_ended) {
      ended_ = true;
      return std::nullopt;
    }
    auto now = std::chrono::steady_clock::now();
    if (deadline && now >= *deadline)
      throw TimeoutError("run " + run_id_ + ": no chunk on stream '" + name_space_ + "' within the timeout");
    auto pause = deadline ? std::min<std::chrono::steady_clock::duration>(interval, *deadline - now)
                          : std::chrono::steady_clock::duration(interval);
    std::this_thread::sleep_for(pause);
    interval = std::min(interval * 2, kMaxPollInterval);
  }
}

StreamReader RunHandle::get_readable(const ReadableOptions& options) const {
  Engine::instance()->require_run(run_id());
  return StreamReader(run_id(), options.name_space, options.start_index);
}

std::vector<StreamInfo> RunHandle::streams() const {
  auto engine = Engine::instance();
  auto transaction = engine->store().read();
  auto run = transaction->find_run(run_id());
  if (!run) throw RunNotFoundError(run_id());
  std::vector<StreamInfo> result;
  for (auto& stream : transaction->streams(run_id()))
    result.push_back({stream.name_space, stream.length, stream.closed || is_final(run->status)});
  return result;
}

}  // namespace workflow
