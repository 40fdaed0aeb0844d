// See stream_tail.hpp.
#include "stream_tail.hpp"

#include "json_views.hpp"

#include <workflow/errors.hpp>
#include <workflow/run.hpp>

#include <atomic>

namespace workflow::ops {
namespace {

constexpr auto kKeepAliveEvery = std::chrono::seconds(15);
constexpr auto kStreamPoll = std::chrono::seconds(1);

std::atomic<int> g_open_tails{0};

}  // namespace

std::unique_ptr<StreamTail> StreamTail::open(const std::string& run_id, const std::string& name_space,
                                             std::int64_t start_index) {
  if (++g_open_tails > kMaxStreamTails) {
    --g_open_tails;
    return nullptr;
  }
  try {
    return std::unique_ptr<StreamTail>(new StreamTail(get_run(run_id).get_readable({name_space, start_index})));
  } catch (...) {
    --g_open_tails;
    throw;
  }
}

StreamTail::StreamTail(StreamReader reader)
    : reader_(std::move(reader)), quiet_since_(std::chrono::steady_clock::now()) {}

StreamTail::~StreamTail() { --g_open_tails; }

std::string StreamTail::next(bool& finished) {
  finished = false;
  try {
    auto chunk = reader_.next(std::chrono::duration_cast<std::chrono::milliseconds>(kStreamPoll));
    if (!chunk) {
      finished = true;
      return "event: end\ndata: {}\n\n";
    }
    quiet_since_ = std::chrono::steady_clock::now();
    return "id: " + std::to_string(reader_.position() - 1) + "\ndata: " + json_text(*chunk) + "\n\n";
  } catch (const TimeoutError&) {
    if (std::chrono::steady_clock::now() - quiet_since_ < kKeepAliveEvery) return "";
    quiet_since_ = std::chrono::steady_clock::now();
    return ": keep-alive\n\n";
  } catch (const std::exception& error) {
    finished = true;
    return "event: error\ndata: " + json_text(Json{{"message", error.what()}}) + "\n\n";
  }
}

}  // namespace workflow::ops
