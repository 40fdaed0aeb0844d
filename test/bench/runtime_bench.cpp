// Runtime benchmark, with durable commits on (synchronous=FULL). Not part of the test run.
//   W1: one run of 1000 sequential trivial steps            -> microseconds per step
//   W2: 500 runs of 10 trivial steps started together      -> steps per second
//   W3: 200 sequential runs of a 1-step workflow            -> start() to return value, p50/p99
//   W4: 10,000 runs sleeping at once                        -> threads held, peak RSS
//   W5: 200 runs waiting for an event                       -> send_event() to return value, p50/p99
//   W6: one step writing 100,000 stream chunks, read live    -> chunks/s written, chunks/s read
//   W7: 2,000 runs of 10 steps shared by 1, 2 and 4 worker processes (PostgreSQL only) -> steps/s
//   W10: 1,000 schedules firing every second for 10 s        -> runs started/s, tick-to-start lag,
//        CPU per tick
//   W12: 200 runs waiting on a webhook                      -> deliver_webhook() to return value, p50/p99;
//        2,000 deliveries to one multi-use webhook          -> deliveries/s
//   W11: 1-step runs through a queue of concurrency 1, 10 and 100 (docs/queues.md) -> runs/s
//   W13: retention on 1,000,000 finished runs (docs/retention.md; only with --only w13; --runs N
//        for another count) -> journal size full, pruned and refilled; prune time; W3 during it
// Usage: runtime_bench [--json] [--dir DIR] [--database postgresql://...] [--only wN] [--runs N]
// With --database, every workload runs on a fresh schema of that PostgreSQL database, and the
// floor printed is the server's durable commit; otherwise on fresh SQLite files in DIR.
#include <workflow/workflow.hpp>

#include "bench_journal.hpp"
#include "multi_worker_bench.hpp"
#include "retention_bench.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <ctime>
#include <optional>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {
int trivial(int x) { return x + 1; }
}  // namespace

// Not file-local: W7's driver (multi_worker_bench.cpp) starts it too.
int sequential_steps(int count) {
  ::workflow::detail::workflow_entry("workflow//./bench//sequential_steps");
  int value = 0;
  for (int i = 0; i < count; ++i) value = ::workflow::detail::step_call<&trivial>("step//./bench//trivial")(value);
  return value;
}

namespace {

// start() to return value of a 1-step run, in milliseconds (W3's unit of work).
double one_step_run_ms() {
  auto begin = std::chrono::steady_clock::now();
  if (workflow::start(sequential_steps, 1).return_value() != 1) std::abort();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count();
}

void print_retention(const bench::RetentionFigures& w13, bool json, bool postgres) {
  auto free_mb = [](std::int64_t bytes) { return bytes < 0 ? -1.0 : bytes / 1e6; };
  if (json) {
    std::printf("{\"backend\": \"%s\", \"w13_runs\": %lld, \"w13_fill_s\": %.1f, \"w13_bytes_full\": %lld, "
                "\"w13_prune_s\": %.1f, \"w13_pruned\": %lld, \"w13_batches\": %lld, \"w13_bytes_pruned\": %lld, "
                "\"w13_free_bytes_pruned\": %lld, \"w13_refilled\": %lld, \"w13_bytes_refilled\": %lld, "
                "\"w13_free_bytes_refilled\": %lld, \"w3_p50_ms\": %.3f, \"w3_p99_ms\": %.3f, \"w3_max_ms\": %.3f, "
                "\"w3_pruning_p50_ms\": %.3f, \"w3_pruning_p99_ms\": %.3f, \"w3_pruning_max_ms\": %.3f, "
                "\"w3_pruning_runs\": %d}\n",
                postgres ? "postgresql" : "sqlite", static_cast<long long>(w13.runs), w13.fill_s,
                static_cast<long long>(w13.bytes_full), w13.prune_s, static_cast<long long>(w13.pruned),
                static_cast<long long>(w13.batches), static_cast<long long>(w13.bytes_pruned),
                static_cast<long long>(w13.free_bytes_pruned), static_cast<long long>(w13.refilled),
                static_cast<long long>(w13.bytes_refilled), static_cast<long long>(w13.free_bytes_refilled),
                w13.w3_p50_ms, w13.w3_p99_ms, w13.w3_max_ms, w13.w3_pruning_p50_ms, w13.w3_pruning_p99_ms,
                w13.w3_pruning_max_ms, w13.w3_pruning_runs);
    return;
  }
  std::printf("W13 journal of %lld finished runs      %8.1f MB (written in %.1f s)\n", static_cast<long long>(w13.runs),
              w13.bytes_full / 1e6, w13.fill_s);
  std::printf("W13 pruned %lld runs in %.1f s (%.0f runs/s, %lld batches); journal %.1f MB, %.1f MB of it free\n",
              static_cast<long long>(w13.pruned), w13.prune_s, w13.pruned / w13.prune_s,
              static_cast<long long>(w13.batches), w13.bytes_pruned / 1e6, free_mb(w13.free_bytes_pruned));
  std::printf("W13 %lld runs written again: journal %.1f MB, %.1f MB free\n", static_cast<long long>(w13.refilled),
              w13.bytes_refilled / 1e6, free_mb(w13.free_bytes_refilled));
  std::printf("W3  alone         p50 %.3f ms  p99 %.3f ms  max %.3f ms (%d runs)\n", w13.w3_p50_ms, w13.w3_p99_ms,
              w13.w3_max_ms, w13.w3_runs);
  std::printf("W3  while pruning p50 %.3f ms  p99 %.3f ms  max %.3f ms (%d runs)\n", w13.w3_pruning_p50_ms,
              w13.w3_pruning_p99_ms, w13.w3_pruning_max_ms, w13.w3_pruning_runs);
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

// W12: the URL each run's webhook got, as the system it is sent to would receive it.
std::mutex g_webhook_urls_mutex;
std::map<std::string, std::string> g_webhook_urls;

std::string webhook_url_of(const std::string& run_id) {
  for (;;) {
    {
      std::lock_guard lock(g_webhook_urls_mutex);
      if (auto found = g_webhook_urls.find(run_id); found != g_webhook_urls.end()) return found->second;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

int await_webhook(int deliveries) {
  ::workflow::detail::workflow_entry("workflow//./bench//await_webhook");
  auto hook = workflow::create_webhook<int>({.single_use = deliveries == 1});
  {
    std::lock_guard lock(g_webhook_urls_mutex);
    g_webhook_urls[hook.run_id()] = hook.url();
  }
  int sum = 0;
  for (int i = 0; i < deliveries; ++i) sum += hook.wait();
  return sum;
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
  return ::workflow::detail::step_call<&stream_writer_step>("step//./bench//stream_writer_step")();
}

[[maybe_unused]] const bool registered =
    ::workflow::detail::register_workflow<&streamer>("workflow//./bench//streamer") &&
    ::workflow::detail::register_step<&stream_writer_step>("step//./bench//stream_writer_step") &&
    ::workflow::detail::register_workflow<&await_ping>("workflow//./bench//await_ping") &&
    ::workflow::detail::register_workflow<&await_webhook>("workflow//./bench//await_webhook") &&
    ::workflow::detail::register_workflow<&sequential_steps>("workflow//./bench//sequential_steps") &&
    ::workflow::detail::register_workflow<&sleeper>("workflow//./bench//sleeper") &&
    ::workflow::detail::register_step<&trivial>("step//./bench//trivial");

using SteadyClock = std::chrono::steady_clock;

double seconds_since(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

long status_field_kb(const char* field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::strlen(field)));
  return -1;
}

// User plus system CPU time of this process so far.
double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// The tick a schedule's run ID names (`sched-<name>-YYYYMMDDTHHMMSSZ`).
std::optional<std::chrono::system_clock::time_point> tick_of(const std::string& run_id) {
  if (run_id.size() < 16 || run_id.rfind("sched-", 0) != 0) return std::nullopt;
  std::tm parts{};
  if (!strptime(run_id.substr(run_id.size() - 16).c_str(), "%Y%m%dT%H%M%SZ", &parts)) return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&parts));
}

}  // namespace

int main(int argc, char** argv) {
  bool json = false;
  std::string only;
  std::filesystem::path dir = std::filesystem::current_path() / "bench-journals";
  std::string database;
  long long retention_runs = 1'000'000;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--json") == 0) json = true;
    else if (std::strcmp(argv[i], "--dir") == 0 && i + 1 < argc) dir = argv[++i];
    else if (std::strcmp(argv[i], "--database") == 0 && i + 1 < argc) database = argv[++i];
    else if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) only = argv[++i];
    else if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) retention_runs = std::atoll(argv[++i]);
    else if (std::strcmp(argv[i], "--worker") == 0 && i + 1 < argc) return bench::run_bench_worker(argv[++i]);
    else {
      std::fprintf(stderr, "usage: runtime_bench [--json] [--dir DIR] [--database postgresql://...] "
                           "[--only w1|w2|w3|w4|w5|w6|w7|w8|w9|w10|w11|w12|w13] [--runs N]\n");
      return 2;
    }
  }
  std::filesystem::create_directories(dir);
  bench::BenchJournals journals(dir, database);

  auto wanted = [&](const char* name) { return only.empty() || only == name; };
  if (only == "w13") {
    // Minutes at a million runs: only when asked for by name.
    auto w13 = bench::retention_at_scale(journals, retention_runs, one_step_run_ms);
    workflow::shutdown();
    print_retention(w13, json, journals.postgres());
    return 0;
  }
  auto [floor_growing_us, floor_wrapped_us] = journals.commit_floor_us();
  double w1_us_per_step = 0, w2_steps_per_s = 0, w3_p50_ms = 0, w3_p99_ms = 0, w4_seconds = 0;
  std::size_t waiting = 0;
  long threads_before = 0, threads_after = 0;
  auto start = SteadyClock::now();
  if (wanted("w1")) {
  journals.use_fresh("w1");
  start = SteadyClock::now();
  auto w1 = workflow::start(sequential_steps, 1000);
  if (w1.return_value() != 1000) return 1;
  w1_us_per_step = seconds_since(start) * 1e6 / 1000;
  }

  if (wanted("w2")) {
  journals.use_fresh("w2", 64);
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
  journals.use_fresh("w3");
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
    journals.use_fresh("w5");
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
    journals.use_fresh("w6");
    auto begin = SteadyClock::now();
    auto run = workflow::start(streamer);
    int read = 0;
    for (const auto& chunk : run.get_readable({.name_space = "bench"})) read += chunk.is_string();
    double read_seconds = seconds_since(begin);
    if (read != kStreamChunks || run.return_value() != kStreamChunks) return 1;
    w6_written_per_s = kStreamChunks / g_stream_write_seconds.load();
    w6_read_per_s = kStreamChunks / read_seconds;
  }

  // W8: how long a replay check of recorded runs takes (docs/versioning.md): the body replays from
  // the journal, no step executes.
  double w8_runs_per_s = 0, w8_calls_per_s = 0;
  if (wanted("w8")) {
    journals.use_fresh("w8", 64);
    std::vector<workflow::Run<int>> runs;
    for (int i = 0; i < 1000; ++i) runs.push_back(workflow::start(sequential_steps, 20));
    for (auto& run : runs)
      if (run.return_value() != 20) return 1;
    auto begin = SteadyClock::now();
    auto report = workflow::check_replay(workflow::ReplayFilter{.limit = 1000});
    double seconds = seconds_since(begin);
    std::size_t calls = 0;
    for (const auto& run : report.runs) calls += run.calls_replayed;
    if (report.runs.size() != 1000 || report.count(workflow::ReplayResult::Verdict::compatible) != 1000) return 1;
    w8_runs_per_s = 1000 / seconds;
    w8_calls_per_s = calls / seconds;
  }

  // W9: start_batch, 10,000 runs in one call and one commit; then until all completed.
  double w9_started_per_s = 0, w9_completed_per_s = 0;
  if (wanted("w9")) {
    journals.use_fresh("w9", 64);
    std::vector<std::tuple<int>> arguments(10000, std::tuple<int>{1});
    auto begin = SteadyClock::now();
    auto runs = workflow::start_batch(sequential_steps, arguments);
    w9_started_per_s = 10000 / seconds_since(begin);
    for (auto& run : runs)
      if (run.return_value() != 1) return 1;
    w9_completed_per_s = 10000 / seconds_since(begin);
  }

  // W10: scheduler overhead. 1,000 schedules of a 0-step workflow, each firing every second
  // (`* * * * * *`, overlap allow_all), for 10 s in this one engine: every second the ticker
  // starts 1,000 runs, each in the transaction that advances its schedule. The runs are pinned to
  // a deployment no process serves, so they stay pending and only the scheduler works. Measured:
  // runs started per second of ticks, the lag from a tick to its run's creation (p50, p99), and
  // the process's CPU time per tick of one schedule.
  double w10_started_per_s = 0, w10_lag_p50_ms = 0, w10_lag_p99_ms = 0, w10_cpu_us_per_tick = 0, w10_declare_s = 0;
  if (wanted("w10")) {
    journals.use_fresh("w10", 64);
    constexpr int kSchedules = 1000;
    constexpr int kSeconds = 10;
    auto begin = SteadyClock::now();
    for (int i = 0; i < kSchedules; ++i)
      workflow::schedule("bench-" + std::to_string(i), sequential_steps, std::tuple{0},
                         {.spec = "* * * * * *", .overlap = workflow::OverlapPolicy::allow_all,
                          .deployment_id = "w10-served-by-nobody"});
    w10_declare_s = seconds_since(begin);
    // Measured from the next whole second on: ticks of [from, until).
    auto from = std::chrono::ceil<std::chrono::seconds>(std::chrono::system_clock::now()) + std::chrono::seconds(1);
    auto until = from + std::chrono::seconds(kSeconds);
    std::this_thread::sleep_until(from);
    auto cpu_before = process_cpu_seconds();
    std::this_thread::sleep_until(until);
    auto cpu_seconds = process_cpu_seconds() - cpu_before;
    for (int i = 0; i < kSchedules; ++i) workflow::pause_schedule("bench-" + std::to_string(i));
    std::vector<double> lags_ms;
    std::string cursor;
    do {
      auto page = workflow::list_runs({.since = from - std::chrono::seconds(1), .limit = 1000, .cursor = cursor});
      for (const auto& run : page.runs) {
        auto tick = tick_of(run.id);
        if (!tick || *tick < from || *tick >= until) continue;
        lags_ms.push_back(std::chrono::duration<double, std::milli>(run.created_at - *tick).count());
      }
      cursor = page.next_cursor;
    } while (!cursor.empty());
    std::sort(lags_ms.begin(), lags_ms.end());
    w10_started_per_s = static_cast<double>(lags_ms.size()) / kSeconds;
    if (!lags_ms.empty()) {
      w10_lag_p50_ms = lags_ms[lags_ms.size() / 2];
      w10_lag_p99_ms = lags_ms[lags_ms.size() * 99 / 100];
      w10_cpu_us_per_tick = cpu_seconds * 1e6 / static_cast<double>(lags_ms.size());
    }
  }

  // W12: webhooks. The delivery is what `wf serve` does for a POST, without the HTTP.
  double w12_p50_ms = 0, w12_p99_ms = 0, w12_deliveries_per_s = 0;
  if (wanted("w12")) {
    // Read when the engine starts: PostgreSQL has no key file to fall back on.
    if (journals.postgres()) setenv("WORKFLOW_WEBHOOK_SECRET", "bench-secret-of-more-than-thirty-two-characters", 0);
    journals.use_fresh("w12");
    std::vector<double> latencies;
    for (int i = 0; i < 200; ++i) {
      auto run = workflow::start(await_webhook, 1);
      auto url = webhook_url_of(run.run_id());
      while (run.status() != workflow::RunStatus::waiting) std::this_thread::sleep_for(std::chrono::microseconds(200));
      auto begin = SteadyClock::now();
      if (!workflow::deliver_webhook(url, i)) return 1;
      if (run.return_value() != i) return 1;
      latencies.push_back(seconds_since(begin) * 1e3);
    }
    std::sort(latencies.begin(), latencies.end());
    w12_p50_ms = latencies[100];
    w12_p99_ms = latencies[197];
    constexpr int kDeliveries = 2000;
    auto run = workflow::start(await_webhook, kDeliveries);
    auto url = webhook_url_of(run.run_id());
    auto begin = SteadyClock::now();
    for (int i = 0; i < kDeliveries; ++i)
      if (!workflow::deliver_webhook(url, 1)) return 1;
    w12_deliveries_per_s = kDeliveries / seconds_since(begin);
    if (run.return_value() != kDeliveries) return 1;
  }

  // W11: queue dispatch; every run is dequeued in a claim transaction under the queue's row lock.
  // The runs wait before the clock starts (an idle engine starts them), so only dispatch counts.
  struct QueueThroughput {
    int concurrency;
    int runs;
    double runs_per_s;
  };
  std::vector<QueueThroughput> w11;
  if (wanted("w11")) {
    for (int concurrency : {1, 10, 100}) {
      int count = concurrency == 1 ? 500 : 3000;
      std::string queue = "bench-" + std::to_string(concurrency);
      journals.use_fresh("w11_" + std::to_string(concurrency), 128);
      workflow::declare_queue(queue, {.concurrency = concurrency});
      auto config = journals.current();
      workflow::shutdown();
      std::vector<std::tuple<int>> arguments(static_cast<std::size_t>(count), std::tuple<int>{1});
      {
        auto idle = config;
        idle.execute_runs = false;
        workflow::configure(idle);
      }
      std::vector<workflow::Run<int>> runs;
      for (int first = 0; first < count; first += 1000) {
        std::vector<std::tuple<int>> part(arguments.begin() + first,
                                          arguments.begin() + std::min(count, first + 1000));
        for (auto& run : workflow::start_batch({.queue = queue}, sequential_steps, part)) runs.push_back(run);
      }
      workflow::shutdown();
      auto begin = SteadyClock::now();
      workflow::configure(config);
      for (auto& run : runs)
        if (run.return_value() != 1) return 1;
      w11.push_back({concurrency, count, count / seconds_since(begin)});
    }
  }

  if (wanted("w4")) {
  journals.use_fresh("w4", 32);
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
  std::vector<bench::WorkerScaling> w7;
  if (wanted("w7") && journals.postgres()) w7 = bench::multi_worker_scaling(journals, argv[0], {1, 2, 4});

  if (json) {
    std::printf(
        "{\"w1_us_per_step\": %.1f, \"w2_steps_per_s\": %.0f, \"w3_p50_ms\": %.3f, "
        "\"w3_p99_ms\": %.3f, \"w4_sleeping_runs\": %zu, \"w4_threads\": %ld, "
        "\"w4_peak_rss_mb\": %.1f, \"backend\": \"%s\", \"commit_floor_us\": %.1f, "
        "\"commit_floor_us_warm\": %.1f, \"w5_event_p50_ms\": %.3f, \"w5_event_p99_ms\": %.3f, "
        "\"w6_written_per_s\": %.0f, \"w6_read_per_s\": %.0f, \"w8_replayed_runs_per_s\": %.0f, "
        "\"w8_replayed_calls_per_s\": %.0f, \"w9_batch_started_per_s\": %.0f, "
        "\"w9_batch_completed_per_s\": %.0f, \"w10_schedule_runs_per_s\": %.0f, \"w10_tick_lag_p50_ms\": %.1f, "
        "\"w10_tick_lag_p99_ms\": %.1f, \"w10_cpu_us_per_tick\": %.0f, \"w12_webhook_p50_ms\": %.3f, "
        "\"w12_webhook_p99_ms\": %.3f, \"w12_deliveries_per_s\": %.0f, \"w11\": [",
        w1_us_per_step, w2_steps_per_s, w3_p50_ms, w3_p99_ms, waiting, threads_after,
        peak_rss_kb / 1024.0, journals.postgres() ? "postgresql" : "sqlite", floor_growing_us, floor_wrapped_us,
        w5_p50_ms, w5_p99_ms, w6_written_per_s, w6_read_per_s, w8_runs_per_s, w8_calls_per_s,
        w9_started_per_s, w9_completed_per_s, w10_started_per_s, w10_lag_p50_ms, w10_lag_p99_ms,
        w10_cpu_us_per_tick, w12_p50_ms, w12_p99_ms, w12_deliveries_per_s);
    for (std::size_t i = 0; i < w11.size(); ++i)
      std::printf("%s{\"concurrency\": %d, \"runs_per_s\": %.0f}", i ? ", " : "", w11[i].concurrency,
                  w11[i].runs_per_s);
    std::printf("], \"w7\": [");
    for (std::size_t i = 0; i < w7.size(); ++i)
      std::printf("%s{\"workers\": %u, \"steps_per_s\": %.0f}", i ? ", " : "", w7[i].workers, w7[i].steps_per_s);
    std::printf("]}\n");
  } else {
    if (journals.postgres())
      std::printf("floor: a bare PostgreSQL durable commit %6.1f us (1 connection), %.0f commits/s with 8\n",
                  floor_growing_us, floor_wrapped_us);
    else
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
    std::printf("W8  replay check, 1,000 runs x 20 steps  %8.0f runs/s (%.0f calls/s)\n", w8_runs_per_s,
                w8_calls_per_s);
    std::printf("W9  start_batch of 10,000 1-step runs    %8.0f runs/s started (one commit), %.0f/s completed\n",
                w9_started_per_s, w9_completed_per_s);
    std::printf("W10 1,000 schedules x every second, 10 s %8.0f runs/s started; tick to run p50 %.1f ms p99 %.1f ms; "
                "%.0f us CPU per tick (declared in %.2f s)\n",
                w10_started_per_s, w10_lag_p50_ms, w10_lag_p99_ms, w10_cpu_us_per_tick, w10_declare_s);
    std::printf("W12 deliver_webhook() -> workflow returns p50 %.3f ms  p99 %.3f ms; %.0f deliveries/s to one webhook\n",
                w12_p50_ms, w12_p99_ms, w12_deliveries_per_s);
    for (auto& queue : w11)
      std::printf("W11 %d 1-step runs through a queue, concurrency %3d %8.0f runs/s\n", queue.runs, queue.concurrency,
                  queue.runs_per_s);
    for (auto& scaling : w7)
      std::printf("W7  2,000 runs x 10 steps, %u worker process%s %6.0f steps/s\n", scaling.workers,
                  scaling.workers == 1 ? "  " : "es", scaling.steps_per_s);
  }
  return 0;
}
