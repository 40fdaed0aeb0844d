// See tail_pump.hpp. Ownership: the pump's state is shared by the response (until libmicrohttpd
// frees it) and the tail's thread (until it ends). The connection pointer is used only under the
// state's mutex while `suspended` is set: a suspended connection is never closed by the library,
// so the pointer and its socket are valid then.
#include "tail_pump.hpp"

#include <microhttpd.h>

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace workflow::ops {
namespace {

struct PumpState {
  std::mutex mutex;
  MHD_Connection* connection = nullptr;
  int fd = -1;
  std::string pending;  // produced, not yet handed to the library
  bool finished = false;  // the tail sent its last event
  bool client_gone = false;
  bool stopping = false;  // shutdown, or the response was freed
  bool suspended = false;

  // Under `mutex`.
  void resume_if_suspended() {
    if (!suspended) return;
    suspended = false;
    MHD_resume_connection(connection);
  }
};

// The pumps alive, for end_all_tails().
std::mutex g_pumps_mutex;
std::condition_variable g_pumps_done;
std::set<std::shared_ptr<PumpState>> g_pumps;

struct ResponseSide {
  std::shared_ptr<PumpState> state;
};

ssize_t read_tail(void* cls, uint64_t, char* buffer, size_t max) {
  auto& state = *static_cast<ResponseSide*>(cls)->state;
  std::lock_guard lock(state.mutex);
  if (!state.pending.empty()) {
    auto size = std::min(max, state.pending.size());
    std::memcpy(buffer, state.pending.data(), size);
    state.pending.erase(0, size);
    return static_cast<ssize_t>(size);
  }
  if (state.finished) return MHD_CONTENT_READER_END_OF_STREAM;
  if (state.client_gone || state.stopping) return MHD_CONTENT_READER_END_WITH_ERROR;
  state.suspended = true;
  MHD_suspend_connection(state.connection);
  return 0;
}

void free_tail(void* cls) {
  auto* side = static_cast<ResponseSide*>(cls);
  {
    std::lock_guard lock(side->state->mutex);
    side->state->stopping = true;
  }
  delete side;
}

// A suspended connection is not polled, so the library would not notice a client that left;
// peeking at the socket does (0 bytes: an orderly close; an error other than "nothing yet": reset).
bool peer_closed(int fd) {
  char byte;
  auto got = recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

void pump(std::shared_ptr<PumpState> state, std::unique_ptr<StreamTail> tail) {
  for (;;) {
    bool finished = false;
    auto text = tail->next(finished);
    std::lock_guard lock(state->mutex);
    if (state->stopping) {
      state->resume_if_suspended();
      break;
    }
    state->pending += text;
    state->finished = finished;
    if (!finished && state->suspended && state->pending.empty() && peer_closed(state->fd)) state->client_gone = true;
    if (!state->pending.empty() || state->finished || state->client_gone) state->resume_if_suspended();
    if (state->finished || state->client_gone) break;
  }
  tail.reset();  // frees its place among kMaxStreamTails before the pump is counted out
  std::lock_guard lock(g_pumps_mutex);
  g_pumps.erase(state);
  g_pumps_done.notify_all();
}

}  // namespace

MHD_Response* create_tail_response(MHD_Connection* connection, std::unique_ptr<StreamTail> tail) {
  auto state = std::make_shared<PumpState>();
  state->connection = connection;
  state->fd = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD)->connect_fd;
  auto* response = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, read_tail, new ResponseSide{state}, free_tail);
  {
    std::lock_guard lock(g_pumps_mutex);
    g_pumps.insert(state);
  }
  std::thread(pump, state, std::move(tail)).detach();
  return response;
}

void end_all_tails() {
  std::unique_lock lock(g_pumps_mutex);
  for (const auto& state : g_pumps) {
    std::lock_guard state_lock(state->mutex);
    state->stopping = true;
    state->resume_if_suspended();
  }
  // Each thread notices within one poll of its reader (about a second).
  g_pumps_done.wait(lock, [] { return g_pumps.empty(); });
}

}  // namespace workflow::ops
