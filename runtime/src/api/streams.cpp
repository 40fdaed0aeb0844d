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
// A tailing reader reads again when the journal changes (this process's commits, or another
// process's as the store reports them); this bounds the wait should a report go missing.
constexpr std::chrono::seconds kRecheckInterval{1};

}  // namespace

struct StreamWriter::State {
  // Not owning: a writer lives inside a run's execution, which the engine's shutdown waits for.
  // Owning it would let the engine's destructor run on a worker or writer thread, which then
  // joins itself.
  Engine* engine = nullptr;
  // The workflow-body execution (RunContext) that opened it; null for a step's writer.
  const void* body = nullptr;
  std::string run_id;
  int run_attempt = 1;
  std::string name_space;
  std::string key_base;
  std::shared_ptr<detail::AttemptGate> attempt_gate;

  // Guards everything below: parallel branches may share one writer.
  std::mutex mutex;
  std::condition_variable committed;
  std::int64_t next_number = 0;
  // Chunks numbered below this are in the journal already (a workflow body being replayed).
  std::int64_t already_written = 0;
  bool closed = false;
  std::size_t uncommitted = 0;
  std::exception_ptr error;

  std::string describe() const { return "run " + run_id + ": stream '" + name_space + "'"; }

  // Queues `write` (under `lock`, which it releases); the write queue commits in order, so these
  // chunks are committed before any later write of this run (the step's result, the run's
  // outcome). The write checks the run's fence: chunks of an attempt a restart replaced, or
  // written after the run ended, are dropped.
  void post(std::unique_lock<std::mutex>& lock, std::function<void(detail::StoreTransaction&)> write) {
    committed.wait(lock, [&] { return uncommitted < kMaxUncommittedChunks; });
    if (error) std::rethrow_exception(error);
    auto queue = [&] {
      ++uncommitted;
      lock.unlock();
      engine->writes().post(
          [run_id = run_id, attempt = run_attempt, write = std::move(write)](detail::StoreTransaction& transaction) {
            auto fence = transaction.fence(run_id);
            if (!fence || fence->attempt != attempt || is_final(fence->status)) return;
            write(transaction);
          },
          detail::WriteQueue::Durability::lazy, [self = this](std::exception_ptr failure) {
            std::lock_guard guard(self->mutex);
            --self->uncommitted;
            if (failure && !self->error) self->error = failure;
            self->committed.notify_all();
          });
    };
    // An abandoned attempt's chunk is dropped: the engine may be gone (attempt_gate.hpp).
    if (attempt_gate) attempt_gate->unless_abandoned(queue);
    else queue();
  }

  void wait_committed() {
    std::unique_lock lock(mutex);
    committed.wait(lock, [&] { return uncommitted == 0; });
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const StorageError&) {
      throw;
    } catch (const std::exception& failure) {
      throw StorageError(describe() + ": a chunk could not be written: " + failure.what());
    }
  }

  ~State() {
    // Outstanding completions point at this state.
    std::unique_lock lock(mutex);
    committed.wait(lock, [&] { return uncommitted == 0; });
  }
};

namespace {

// The workflow-body execution writing through `state` right now, or null (a step's writer, or a
// body's writer used from a step).
detail::RunContext* writing_body(const StreamWriter::State& state) {
  if (!state.body || detail::current_step_stream_writers()) return nullptr;
  return detail::RunContext::current();
}

}  // namespace

void StreamWriter::write_json(Json chunk) {
  auto& state = *state_;
  if (auto* here = writing_body(state)) {
    if (here != state.body) {
      // A body's writer used inside a parallel branch writes as that branch's own writer: its
      // chunks are numbered per branch, so a replay numbers them the same whatever the threads'
      // interleaving.
      get_writable(state.name_space).write_json(std::move(chunk));
      return;
    }
    // Readers see the chunk at once; what it says may come from a step's result.
    here->flush_results();
  }
  if (state.attempt_gate && state.attempt_gate->abandoned()) return;  // the attempt timed out; a retry runs
  std::string text;
  try {
    // Serialized here, so that a chunk that is not valid JSON (invalid UTF-8) fails this call.
    text = chunk.dump();
  } catch (const Json::exception& error) {
    throw std::invalid_argument(state.describe() + ": the chunk cannot be written: " + error.what());
  }
  std::unique_lock lock(state.mutex);
  if (state.closed) throw InvalidTransitionError(state.describe() + " is closed; nothing more can be written");
  if (state.next_number < state.already_written) {
    ++state.next_number;  // a replay reaching a chunk the journal has
    return;
  }
  std::string key = state.key_base + "#" + std::to_string(state.next_number++);
  state.post(lock, [run_id = state.run_id, name_space = state.name_space, key = std::move(key),
                    text = std::move(text)](detail::StoreTransaction& transaction) {
    transaction.append_stream_chunk(run_id, name_space, key, text, detail::wall_now());
  });
}

void StreamWriter::flush() { state_->wait_committed(); }

void StreamWriter::close() {
  auto& state = *state_;
  if (state.attempt_gate && state.attempt_gate->abandoned()) return;  // the retry's stream stays open
  // Readers see the close at once; whether the body closes may depend on a step's result.
  if (auto* here = writing_body(state)) here->flush_results();
  std::unique_lock lock(state.mutex);
  if (state.closed) return;
  state.closed = true;
  if (!state.engine) return;  // a replay check writes nothing
  state.post(lock, [run_id = state.run_id, name_space = state.name_space](detail::StoreTransaction& transaction) {
    transaction.close_stream(run_id, name_space);
  });
}

const std::string& StreamWriter::name_space() const { return state_->name_space; }

namespace detail {

void StreamWriters::flush_all() {
  for (auto& [name_space, state] : by_namespace) state->wait_committed();
}

}  // namespace detail

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
    slot->engine = writers->engine;
    slot->run_id = detail::current_workflow_metadata()->run_id;
    slot->run_attempt = writers->run_attempt;
    slot->name_space = std::string(name_space);
    slot->key_base = writers->key_base + "/" + std::string(name_space);
    slot->attempt_gate = writers->attempt_gate;
    if (!detail::current_step_stream_writers()) {
      slot->body = detail::RunContext::current();
      // A workflow body is replayed from the top on every resume; its chunks so far are numbered
      // 0..n-1 (committed in order), so a replay skips them instead of sending each again.
      // A replay check (no engine) writes nothing: every chunk counts as written already.
      slot->already_written = !slot->engine ? std::numeric_limits<std::int64_t>::max()
                                            : slot->engine->store().read()->count_stream_chunks(
                                                  slot->run_id, slot->name_space, slot->key_base + "#");
    }
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
  for (;;) {
    // Taken before the read: a chunk committed after it wakes the wait below.
    auto seen = engine->journal_changes();
    bool run_ended = false;
    detail::StreamSlice slice;
    {
      // Chunks and the run's status from one snapshot: a run that ended after its last chunk was
      // read cannot hide that chunk.
      auto transaction = engine->store().read();
      slice = transaction->read_stream(run_id_, name_space_, position_, kReadBatch);
      auto fence = transaction->fence(run_id_);
      if (!fence) throw RunNotFoundError(run_id_);
      run_ended = is_final(fence->status);
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
    auto wait = deadline ? std::min<std::chrono::steady_clock::duration>(kRecheckInterval, *deadline - now)
                         : std::chrono::steady_clock::duration(kRecheckInterval);
    engine->wait_for_journal_change(
        seen, detail::wall_now() + std::chrono::duration_cast<std::chrono::system_clock::duration>(wait));
  }
}

StreamReader RunHandle::get_readable(const ReadableOptions& options) const {
  Engine::instance()->require_run(run_id());
  return StreamReader(run_id(), options.name_space, options.start_index);
}

namespace detail {

std::vector<StreamInfo> stream_infos(StoreTransaction& transaction, const RunRecord& run) {
  std::vector<StreamInfo> result;
  // A stream left open ends with its run.
  for (auto& stream : transaction.streams(run.id))
    result.push_back({stream.name_space, stream.length, stream.closed || is_final(run.status)});
  return result;
}

}  // namespace detail

std::vector<StreamInfo> RunHandle::streams() const {
  auto engine = Engine::instance();
  auto transaction = engine->store().read();
  auto run = transaction->find_run(run_id());
  if (!run) throw RunNotFoundError(run_id());
  return detail::stream_infos(*transaction, *run);
}

}  // namespace workflow
