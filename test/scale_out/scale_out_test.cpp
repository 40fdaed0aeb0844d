// The scale-out fault test: several worker processes (stand-ins for machines) share one PostgreSQL
// journal and execute 200 runs of 10 steps, with sleeps and events among them, while this driver
// SIGKILLs random workers at random instants (at least 100 times), stalls a few past their lease
// (SIGSTOP), and crash-restarts the server (`pg_ctl -m immediate`, at least 5 times). It checks
// DESIGN §4 and §6: every run completes with the right result, every step completion is recorded
// exactly once, and no step body runs in two live workers at once unless the first one's lease ran
// out. It prints the counts.
//
// The server comes from the CTest fixture `postgres` (WORKFLOW_TEST_POSTGRES_URL_FILE names its
// URL file, next to its pg_ctl helper); each run of the test works in a fresh schema. Without the
// fixture it runs on a SQLite file, without server restarts. SCALE_OUT_{WORKERS,RUNS,KILLS,
// RESTARTS,STALLS,LEASE_MS,SEED} override the sizes, for development.
#include "scale_out_protocol.hpp"
#include "server_restarter.hpp"
#include "step_log.hpp"
#include "worker_pool.hpp"

#include <workflow/workflow.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#ifndef SCALE_OUT_WORKER_PATH
#error "SCALE_OUT_WORKER_PATH must name the scale_out_worker executable"
#endif

namespace scale_out {
namespace {

int setting(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::atoi(value) : fallback;
}

struct Settings {
  int workers = setting("SCALE_OUT_WORKERS", 4);
  int runs = setting("SCALE_OUT_RUNS", 200);
  int kills = setting("SCALE_OUT_KILLS", 100);
  int restarts = setting("SCALE_OUT_RESTARTS", 6);
  int stalls = setting("SCALE_OUT_STALLS", 4);
  std::chrono::milliseconds lease{setting("SCALE_OUT_LEASE_MS", 2000)};
  unsigned seed = static_cast<unsigned>(setting("SCALE_OUT_SEED", static_cast<int>(std::random_device{}() >> 1)));
  /// Threads per worker process.
  int threads = 8;
  /// Everything must be over by then; the CTest timeout is a little longer.
  std::chrono::minutes deadline{7};
};

std::string read_first_line(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// Calls `operation` until the journal answers: a server restart makes calls fail meanwhile.
template <class Operation>
auto retrying(Operation operation) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  for (;;) {
    try {
      return operation();
    } catch (const workflow::StorageError&) {
      if (std::chrono::steady_clock::now() >= deadline) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

std::map<std::string, workflow::RunStatus> statuses() {
  std::map<std::string, workflow::RunStatus> result;
  workflow::RunQuery query;
  query.limit = 1000;
  for (;;) {
    auto page = workflow::list_runs(query);
    for (auto& run : page.runs) result[run.id] = run.status;
    if (page.next_cursor.empty()) return result;
    query.cursor = page.next_cursor;
  }
}

std::string run_id(int index) { return "scale-" + std::to_string(index); }

// The k-th of `count` fault thresholds spread over the first 85% of `total` kills, while runs
// still start (see below).
int threshold(int k, int count, int total) { return static_cast<int>(total * 0.85 * (k + 0.5) / count); }

TEST(ScaleOutTest, MultiWorkerFaults) {
  Settings settings;
  std::mt19937 random{settings.seed};
  std::cout << "scale-out: random seed " << settings.seed << " (SCALE_OUT_SEED sets it)\n";

  std::string pattern = (std::filesystem::temp_directory_path() / "workflow-scale-out-XXXXXX").string();
  std::filesystem::path dir = mkdtemp(pattern.data());
  std::string database;
  std::optional<ServerRestarter> server;
  if (const char* url_file = std::getenv("WORKFLOW_TEST_POSTGRES_URL_FILE"); url_file && *url_file) {
    std::string url = read_first_line(url_file);
    ASSERT_FALSE(url.empty()) << "no server URL in " << url_file << " (did the fixture `postgres` start?)";
    database = url + "?schema=scale_" + std::to_string(getpid()) + "_" + std::to_string(random() % 100000);
    server.emplace(std::filesystem::path(url_file).parent_path() / "pg_ctl", dir / "pg_ctl.log");
  } else {
    database = (dir / "journal.db").string();
    settings.restarts = 0;
  }
  std::cout << "scale-out: journal " << database << ", logs in " << dir.string() << "\n";
  std::string deployment = "scale-out-" + std::to_string(getpid());
  workflow::Config config;
  config.database = database;
  config.execute_runs = false;
  workflow::configure(config);

  std::filesystem::path step_log = dir / "steps.log";
  WorkerPool pool({SCALE_OUT_WORKER_PATH, database, step_log.string(), deployment,
                   std::to_string(settings.lease.count()), std::to_string(settings.threads)},
                  dir, settings.workers);
  for (int slot = 0; slot < settings.workers; ++slot) pool.spawn(slot);

  std::vector<int> seeds;
  for (int i = 0; i < settings.runs; ++i) seeds.push_back(1 + static_cast<int>(random() % 1000000));
  // Calls made while the faults go on give up at a storage error (the server is restarting) and
  // are made again at the next turn of the loop, which must not wait for the server meanwhile.
  std::set<std::string> event_sent;
  auto send_go = [&](int index) {
    workflow::get_run(run_id(index)).send_event(kEvent, event_payload(seeds[index]));
    event_sent.insert(run_id(index));
  };
  int started = 0;
  auto start_runs_up_to = [&](int count) {
    for (; started < std::min(count, settings.runs); ++started) {
      workflow::StartOptions options{.id = run_id(started), .deployment_id = deployment};
      workflow::start_by_id(options, kWorkflowId, workflow::Json::array({run_id(started), seeds[started]}));
      // Some events arrive before their run waits for them: they must be kept, not lost.
      if (started % 5 == 1) send_go(started);
    }
  };
  // Sends `go` to the runs that wait for it, a moment after they began waiting (the others get it
  // from the early sends above), so that runs stay in flight across faults.
  std::map<int, std::chrono::steady_clock::time_point> send_at;
  auto send_to_waiting = [&](const std::map<std::string, workflow::RunStatus>& status) {
    auto now = std::chrono::steady_clock::now();
    for (int i = 0; i < started; ++i) {
      auto found = status.find(run_id(i));
      if (found == status.end() || found->second != workflow::RunStatus::waiting || event_sent.count(run_id(i)))
        continue;
      if (auto due = send_at.find(i); due != send_at.end()) {
        if (due->second <= now) send_go(i);
        continue;
      }
      auto timeline = workflow::inspect_run(run_id(i)).timeline;
      if (!timeline.empty() && timeline.back().kind == "event" && timeline.back().name == kEvent &&
          timeline.back().status == "waiting")
        send_at[i] = now + std::chrono::milliseconds(random() % 1500);
    }
  };

  // The fault schedule: kills at random gaps; restarts and stalls at kill counts spread evenly.
  // Runs start as the kills progress (all by 85% of them), so that every fault meets runs in flight.
  using Clock = std::chrono::steady_clock;
  auto begin = Clock::now();
  auto deadline = begin + settings.deadline;
  auto next_kill = Clock::now() + std::chrono::milliseconds(300);
  std::vector<std::optional<Clock::time_point>> respawn_at(settings.workers);
  std::vector<std::optional<Clock::time_point>> resume_at(settings.workers);
  int restarts_begun = 0, stalls_begun = 0;
  StepLogTail tail(step_log);
  std::optional<Clock::time_point> stall_wanted_since, restart_wanted_since;
  auto next_poll = Clock::now();
  int final_runs = 0, storage_errors = 0;
  std::vector<int> in_flight_at_restarts;  // runs started and not ended (as last seen)
  const int initial_runs = std::max(1, settings.runs / 5);
  auto faults_done = [&] {
    return pool.kills() >= settings.kills && restarts_begun >= settings.restarts && !(server && server->in_progress()) &&
           stalls_begun >= settings.stalls;
  };
  while (Clock::now() < deadline) {
    auto now = Clock::now();
    pool.reap_unexpected_exits();
    for (int slot = 0; slot < settings.workers; ++slot) {
      if (resume_at[slot] && (*resume_at[slot] <= now || !pool.occupied(slot))) {
        if (pool.occupied(slot)) pool.resume(slot);
        resume_at[slot].reset();
      }
      if (!pool.occupied(slot) && (!respawn_at[slot] || *respawn_at[slot] <= now)) {
        pool.spawn(slot);
        respawn_at[slot].reset();
      }
    }

    if (pool.kills() < settings.kills && now >= next_kill) {
      std::vector<int> running;
      for (int slot = 0; slot < settings.workers; ++slot)
        if (pool.occupied(slot) && !resume_at[slot]) running.push_back(slot);  // a stalled one lives on
      if (!running.empty()) {
        int slot = running[random() % running.size()];
        pool.kill(slot);
        // Mostly started again at once (as a supervisor would), sometimes after a pause.
        if (random() % 10 < 4) respawn_at[slot] = now + std::chrono::milliseconds(100 + random() % 1400);
        else pool.spawn(slot);
      }
      next_kill = now + std::chrono::milliseconds(80 + random() % 620);
    }
    // Restarts and stalls aim at a worker inside the long step's body if one is there soon: a
    // restart then fails the commit of its result, a stall lets another worker take the run over
    // mid-body once the lease runs out. After 3 s without one, they hit whatever runs.
    tail.poll();
    auto inside_long_step = [&]() -> std::optional<int> {
      for (long pid : tail.workers_inside(kLongCall))
        for (int slot = 0; slot < settings.workers; ++slot)
          if (pool.pid(slot) == pid && !resume_at[slot]) return slot;
      return std::nullopt;
    };
    if (server && restarts_begun < settings.restarts &&
        pool.kills() >= threshold(restarts_begun, settings.restarts, settings.kills) && !server->in_progress()) {
      if (!restart_wanted_since) restart_wanted_since = now;
      if ((inside_long_step() || now - *restart_wanted_since > std::chrono::seconds(3)) && server->begin()) {
        ++restarts_begun;
        in_flight_at_restarts.push_back(started - final_runs);
        restart_wanted_since.reset();
      }
    }
    if (stalls_begun < settings.stalls && pool.kills() >= threshold(stalls_begun, settings.stalls, settings.kills)) {
      if (!stall_wanted_since) stall_wanted_since = now;
      std::optional<int> victim = inside_long_step();
      if (!victim && now - *stall_wanted_since > std::chrono::seconds(3)) {
        int slot = static_cast<int>(random() % settings.workers);
        if (pool.occupied(slot) && !resume_at[slot]) victim = slot;
      }
      if (victim) {
        pool.stall(*victim);
        resume_at[*victim] = now + 2 * settings.lease + std::chrono::milliseconds(random() % 1000);
        ++stalls_begun;
        stall_wanted_since.reset();
      }
    }

    try {
      int kill_target_for_runs = std::max(1, settings.kills * 85 / 100);
      start_runs_up_to(initial_runs + (settings.runs - initial_runs) * pool.kills() / kill_target_for_runs);
      if (now >= next_poll) {
        next_poll = now + std::chrono::milliseconds(250);
        auto status = statuses();
        final_runs = 0;
        for (int i = 0; i < started; ++i) {
          auto found = status.find(run_id(i));
          final_runs += found != status.end() && workflow::is_final(found->second);
        }
        send_to_waiting(status);
        if (faults_done() && started == settings.runs && final_runs == settings.runs) break;
      }
    } catch (const workflow::StorageError&) {
      ++storage_errors;
      next_poll = now + std::chrono::milliseconds(250);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (int slot = 0; slot < settings.workers; ++slot)
    if (resume_at[slot] && pool.occupied(slot)) pool.resume(slot);
  if (server) server->wait();
  auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - begin).count();
  auto failed_stops = pool.terminate(std::chrono::seconds(60));

  // The verdict. Everything below reads the journal through the public inspection API.
  EXPECT_EQ(started, settings.runs);
  EXPECT_EQ(final_runs, settings.runs) << "not every run ended within " << settings.deadline.count() << " minutes";
  EXPECT_GE(pool.kills(), settings.kills);
  if (server) {
    EXPECT_GE(server->completed(), settings.restarts);
    EXPECT_EQ(server->failed(), 0) << "pg_ctl restart failed; see " << (dir / "pg_ctl.log").string();
  }
  for (const auto& failure : failed_stops) ADD_FAILURE() << failure;
  int completed = 0, wrong = 0, recorded_completions = 0, duplicate_completions = 0, missing_completions = 0;
  for (int i = 0; i < started; ++i) {
    auto run = workflow::get_run(run_id(i));
    std::map<std::string, int> completions;
    for (const auto& event : retrying([&] { return run.events(); }))
      if (event.type == "step_completed") ++completions[event.correlation_id];
    for (const auto& [call, count] : completions) {
      recorded_completions += count;
      if (count == 1) continue;
      duplicate_completions += count - 1;
      ADD_FAILURE() << run_id(i) << " " << call << " has " << count << " step_completed events";
    }
    auto run_status = retrying([&] { return run.status(); });
    if (run_status != workflow::RunStatus::completed) {
      ADD_FAILURE() << run_id(i) << " is " << workflow::to_string(run_status) << ", not completed";
      continue;
    }
    ++completed;
    if (completions.size() != static_cast<std::size_t>(kSteps)) {
      missing_completions += kSteps - static_cast<int>(completions.size());
      ADD_FAILURE() << run_id(i) << " recorded " << completions.size() << " step completions, not " << kSteps;
    }
    auto output = retrying([&] { return run.return_json(); });
    if (output != expected_result(seeds[i])) {
      ++wrong;
      ADD_FAILURE() << run_id(i) << " returned " << output.dump() << ", expected " << expected_result(seeds[i]);
    }
  }

  // A worker may exit by itself only when it could not open the journal because the server was
  // restarting (status 3, its message in its output); other exits, and crashes, are failures.
  std::vector<Window> outages = server ? server->outages() : std::vector<Window>{};
  int startup_failures = 0;
  for (const auto& [pid, life] : pool.lives()) {
    if (!life.unexpected_status) continue;
    int status = *life.unexpected_status;
    bool during_outage = std::any_of(outages.begin(), outages.end(), [&](const Window& outage) {
      return *life.ended_ns >= outage.begin_ns && *life.ended_ns <= outage.end_ns + 10'000'000'000;
    });
    if (WIFEXITED(status) && WEXITSTATUS(status) == 3 && during_outage) ++startup_failures;
    else
      ADD_FAILURE() << "worker " << pid << " ended by itself, wait status " << status << "; its last output:\n"
                    << pool.output_tail(pid, 20);
  }
  int shown = 0;
  for (int slot = 0; slot < settings.workers; ++slot) {
    std::ifstream output(dir / ("worker-" + std::to_string(slot) + ".log"));
    for (std::string line; std::getline(output, line);)
      if (line.rfind("scale_out_worker", 0) == 0 && shown++ < 3) std::cout << "scale-out: " << line << "\n";
  }

  auto report = analyse_step_log(step_log, pool.lives(), outages, settings.lease);
  EXPECT_EQ(report.calls, settings.runs * kSteps);
  EXPECT_EQ(report.calls_finished, settings.runs * kSteps);
  for (const auto& problem : report.problems) ADD_FAILURE() << problem;

  std::string in_flight, running;
  for (int count : in_flight_at_restarts) in_flight += " " + std::to_string(count);
  for (const auto& outage : outages) {
    int bodies = 0;
    for (const auto& [call, executions] : report.by_call)
      for (const auto& execution : executions)
        bodies += execution.start_ns <= outage.begin_ns && outage.begin_ns < execution.end_ns;
    running += " " + std::to_string(bodies);
  }
  std::cout << "scale-out: " << settings.workers << " workers, " << pool.spawns() << " worker processes, "
            << elapsed << " s\n"
            << "scale-out: runs " << settings.runs << ", completed " << completed << ", wrong results " << wrong << "\n"
            << "scale-out: SIGKILLs " << pool.kills() << ", server restarts (pg_ctl -m immediate) "
            << (server ? server->completed() : 0) << ", stalls past the lease (SIGSTOP) " << pool.stalls()
            << ", worker exits by themselves " << pool.unexpected_exits() << " (could not open the journal "
            << startup_failures << "), driver calls failed by storage " << storage_errors << "\n"
            << "scale-out: at each server restart, runs in flight:" << in_flight << "; step bodies running:"
            << running << "\n"
            << "scale-out: step completions recorded " << recorded_completions << " for " << settings.runs * kSteps
            << " calls (duplicates " << duplicate_completions << ", missing in completed runs " << missing_completions
            << ")\n"
            << "scale-out: step bodies executed " << report.executions << " for " << report.calls
            << " calls; re-executions " << report.re_executions << " (after a kill " << report.re_executions_after_kill
            << ", earlier worker alive " << report.re_executions_worker_alive << "); bodies cut by a kill "
            << report.cut_by_kill << "\n"
            << "scale-out: runs taken over by another worker " << report.runs_taken_over << " (at most "
            << report.most_takeovers << " times one run)\n"
            << "scale-out: overlaps in live workers " << report.overlaps << ", explained by an expired lease "
            << report.overlaps_explained_by_lease << " (after a stall " << report.overlaps_after_stall
            << ", after a server restart " << report.overlaps_explained_by_lease - report.overlaps_after_stall
            << "), unexplained " << report.overlaps - report.overlaps_explained_by_lease << "\n";
  workflow::shutdown();
  if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir);
  else std::cout << "scale-out: logs kept in " << dir.string() << "\n";
}

}  // namespace
}  // namespace scale_out
