// Runtime benchmark, with durable commits on (synchronous=FULL). Not part of the test run.
//   W1: one run of 1000 sequential trivial steps            -> microseconds per step
//   W2: 500 runs of 10 trivial steps started together      -> steps per second
//   W3: 200 sequential runs of a 1-step workflow            -> start() to return value, p50/p99
//   W4: 10,000 runs sleeping at once                        -> threads held, peak RSS
//   W5: 200 runs waiting for an event                       -> send_event() to return value, p50/p99
//   W6: one step writing 100,000 stream chunks, read live    -> chunks/s written, chunks/s read
// Usage: runtime_bench [--json] [--dir DIR]
#include <workflow/workflow.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

int trivial(int x) { return x + 1; }

int sequential_steps(int count) {
  ::workflow::detail::workflow_entry("workflow//./bench//sequential_steps");
  int value = 0;
  for (int i = 0; i < count; ++i) value = ::workflow::detail::call_step<&trivial>("step//./bench//trivial", value);
  return value;
}

int sleeper() {
  ::workflow::detail::workflow_entry("workflow//./bench//sleeper");
  workflow::sleep(std::chrono::hours(1));
  return 0;
}

int await_ping() {
  ::workflow::detail::workflow_entry("workflow//./bench//await_ping");
  return workflow::wait_for_event<int>("ping");
}

constexpr int kStreamChunks = 100000;
std::atomic<double> g_stream_write_seconds{0};

int stream_writer_step() {
  auto begin = std::chrono::steady_clock::now();
  auto out = workflow::get_writable("bench");
  for (int i = 0; i < kStreamChunks; ++i) out.write("progress line " + std::to_string(i));
  out.flush();
  g_stream_write_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  return kStreamChunks;
}

int streamer() {
  ::workflow::detail::workflow_entry("workflow//./bench//streamer");
  return ::workflow::detail::call_step<&stream_writer_step>("step//./bench//stream_writer_step");
}

[[maybe_unused]] const bool registered =
    ::workflow::detail::register_workflow<&streamer>("workflow//./bench//streamer") &&
    ::workflow::detail::register_step<&stream_writer_step>("step//./bench//stream_writer_step") &&
    ::workflow::detail::register_workflow<&await_ping>("workflow//./bench//await_ping") &&
    ::workflow::detail::register_workflow<&sequential_steps>("workflow//./bench//sequential_steps") &&
    ::workflow::detail::register_workflow<&sleeper>("workflow//./bench//sleeper") &&
    ::workflow::detail::register_step<&trivial>("step//./bench//trivial");

using SteadyClock = std::chrono::steady_clock;

double seconds_since(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

void use_fresh_journal(const std::filesystem::path& dir, const char* name, unsigned workers = 32) {
  workflow::shutdown();
  auto path = dir / name;
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  workflow::Config config;
  config.database = path.string();
  config.workers = workers;
  workflow::configure(config);
  workflow::get_run("warm-up").exists();  // open the journal outside the timed part
}

// The disk's floor: microseconds per durable commit of one small row in a plain WAL-mode SQLite
// file (synchronous=FULL), first on a new file (the WAL grows), then once the WAL has wrapped.
std::pair<double, double> sqlite_commit_floor_us(const std::filesystem::path& dir) {
  auto path = (dir / "floor.db").string();
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT)",
               nullptr, nullptr, nullptr);
  auto pass = [&] {
    auto begin = SteadyClock::now();
    for (int i = 0; i < 1000; ++i)
      sqlite3_exec(db, "BEGIN IMMEDIATE; INSERT INTO t(b) VALUES('step result'); COMMIT", nullptr, nullptr, nullptr);
    return seconds_since(begin) * 1e6 / 1000;
  };
  double growing = pass();
  pass();
  double wrapped = pass();
  sqlite3_close(db);
  return {growing, wrapped};
}

long status_field_kb(const char* field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::strlen(field)));
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  bool json = false;
  std::string only;
  std::filesystem::path dir = std::filesystem::current_path() / "bench-journals";
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--json") == 0) json = true;
    else if (std::strcmp(argv[i], "--dir") == 0 && i + 1 < argc) dir = argv[++i];
    else if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) only = argv[++i];
    else {
      std::fprintf(stderr, "usage: runtime_bench [--json] [--dir DIR] [--only w1|w2|w3|w4|w5|w6]\n");
      return 2;
    }
  }
  std::filesystem::create_directories(dir);

  auto wanted = [&](const char* name) { return only.empty() || only == name; };
  auto [floor_growing_us, floor_wrapped_us] = sqlite_commit_floor_us(dir);
  double w1_us_per_step = 0, w2_steps_per_s = 0, w3_p50_ms = 0, w3_p99_ms = 0, w4_seconds = 0;
  std::size_t waiting = 0;
  long threads_before = 0, threads_after = 0;
  auto start = SteadyClock::now();
  if (wanted("w1")) {
  use_fresh_journal(dir, "w1.db");
  start = SteadyClock::now();
  auto w1 = workflow::start(sequential_steps, 1000);
  if (w1.return_value() != 1000) return 1;
  w1_us_per_step = seconds_since(start) * 1e6 / 1000;
  }

  if (wanted("w2")) {
  use_fresh_journal(dir, "w2.db", 64);
  start = SteadyClock::now();
  std::vector<workflow::Run<int>> runs;
  runs.reserve(500);
  {
    // "Started together": several callers start runs at once, as request handlers would.
    std::vector<std::thread> starters;
    std::mutex runs_mutex;
    for (int t = 0; t < 10; ++t)
      starters.emplace_back([&] {
        for (int i = 0; i < 50; ++i) {
          auto run = workflow::start(sequential_steps, 10);
          std::lock_guard lock(runs_mutex);
          runs.push_back(run);
        }
      });
    for (auto& starter : starters) starter.join();
  }
  for (auto& run : runs)
    if (run.return_value() != 10) return 1;
  w2_steps_per_s = 5000 / seconds_since(start);
  }

  if (wanted("w3")) {
  use_fresh_journal(dir, "w3.db");
  std::vector<double> latencies;
  for (int i = 0; i < 200; ++i) {
    auto begin = SteadyClock::now();
    if (workflow::start(sequential_steps, 1).return_value() != 1) return 1;
    latencies.push_back(seconds_since(begin) * 1e3);
  }
  std::sort(latencies.begin(), latencies.end());
  w3_p50_ms = latencies[100];
  w3_p99_ms = latencies[197];
  }

  double w5_p50_ms = 0, w5_p99_ms = 0;
  if (wanted("w5")) {
    use_fresh_journal(dir, "w5.db");
    std::vector<double> latencies;
    for (int i = 0; i < 200; ++i) {
      auto run = workflow::start(await_ping);
      while (run.status() != workflow::RunStatus::waiting) std::this_thread::sleep_for(std::chrono::microseconds(200));
      auto begin = SteadyClock::now();
      run.send_event("ping", i);
      if (run.return_value() != i) return 1;
      latencies.push_back(seconds_since(begin) * 1e3);
    }
    std::sort(latencies.begin(), latencies.end());
    w5_p50_ms = latencies[100];
    w5_p99_ms = latencies[197];
  }

  double w6_written_per_s = 0, w6_read_per_s = 0;
  if (wanted("w6")) {
    use_fresh_journal(dir, "w6.db");
    auto begin = SteadyClock::now();
    auto run = workflow::start(streamer);
    int read = 0;
    for (const auto& chunk : run.get_readable({.name_space = "bench"})) read += chunk.is_string();
    double read_seconds = seconds_since(begin);
    if (read != kStreamChunks || run.return_value() != kStreamChunks) return 1;
    w6_written_per_s = kStreamChunks / g_stream_write_seconds.load();
    w6_read_per_s = kStreamChunks / read_seconds;
  }

  if (wanted("w4")) {
  use_fresh_journal(dir, "w4.db", 32);
  threads_before = status_field_kb("Threads:");
  start = SteadyClock::now();
  std::vector<workflow::Run<int>> sleepers;
  {
    std::vector<std::thread> starters;
    std::mutex sleepers_mutex;
    for (int t = 0; t < 10; ++t)
      starters.emplace_back([&] {
        for (int i = 0; i < 1000; ++i) {
          auto run = workflow::start(sleeper);
          std::lock_guard lock(sleepers_mutex);
          sleepers.push_back(run);
        }
      });
    for (auto& starter : starters) starter.join();
  }
  for (int i = 0; i < 600 && waiting < sleepers.size(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    waiting = 0;
    for (auto& run : sleepers) waiting += run.status() == workflow::RunStatus::waiting;
  }
  w4_seconds = seconds_since(start);
  threads_after = status_field_kb("Threads:");
  }
  long peak_rss_kb = status_field_kb("VmHWM:");
  workflow::shutdown();

  if (json) {
    std::printf(
        "{\"w1_us_per_step\": %.1f, \"w2_steps_per_s\": %.0f, \"w3_p50_ms\": %.3f, "
        "\"w3_p99_ms\": %.3f, \"w4_sleeping_runs\": %zu, \"w4_threads\": %ld, "
        "\"w4_peak_rss_mb\": %.1f, \"sqlite_commit_us_new_file\": %.1f, "
        "\"sqlite_commit_us_wrapped_wal\": %.1f, \"w5_event_p50_ms\": %.3f, \"w5_event_p99_ms\": %.3f}\n",
        w1_us_per_step, w2_steps_per_s, w3_p50_ms, w3_p99_ms, waiting, threads_after,
        peak_rss_kb / 1024.0, floor_growing_us, floor_wrapped_us, w5_p50_ms, w5_p99_ms, w6_written_per_s, w6_read_per_s);
  } else {
    std::printf("floor: a bare SQLite durable commit   %8.1f us on a new file, %.1f us once the WAL wrapped\n",
                floor_growing_us, floor_wrapped_us);
    std::printf("W1  1000 sequential steps, one run      %8.1f us/step\n", w1_us_per_step);
    std::printf("W2  500 runs x 10 steps, started at once %8.0f steps/s\n", w2_steps_per_s);
    std::printf("W3  start() -> return value, 1 step     p50 %.3f ms  p99 %.3f ms\n", w3_p50_ms, w3_p99_ms);
    std::printf("W4  %zu runs sleeping at once (%.1f s to start) hold %ld threads (%ld before); peak RSS %.1f MB\n",
                waiting, w4_seconds, threads_after, threads_before, peak_rss_kb / 1024.0);
    std::printf("W5  send_event() -> workflow returns    p50 %.3f ms  p99 %.3f ms\n", w5_p50_ms, w5_p99_ms);
    std::printf("W6  100,000 stream chunks from a step   %8.0f written/s (durable), %.0f read live/s\n",
                w6_written_per_s, w6_read_per_s);
  }
  return 0;
}
