// Acceptance tests of durable schedules with real worker processes (schedule_worker) sharing one
// journal, on the backend WORKFLOW_TEST_BACKEND names:
// - three workers and a 1-second cron schedule (`* * * * * *`) over a minute: every second from
//   the first tick to the last has exactly one run, and each ran once (checked from the journal);
// - a worker SIGKILLed mid-tick (its tick's transaction claimed the schedule and inserted the run,
//   uncommitted) loses no tick: another worker fires it within the grace period;
// - after 10 minutes of downtime (workers stopped, the stored next fire time set 10 minutes in
//   the past, which is what a journal left alone for 10 minutes holds), each catch-up policy starts
//   what it promises.
#include "store/journal_store.hpp"
#include "test_support.hpp"
#include "worker_pool.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <thread>

namespace {

using namespace std::chrono_literals;
using workflow::detail::TimePoint;

constexpr const char* kStampId = "workflow//./test/schedules//stamp";

std::string every_second(const std::string& name) { return name + ",* * * * * *,allow_all,skip,60,3600"; }

class ScheduleWorkersTest : public ::testing::Test {
 protected:
  void SetUp() override { journal_ = workflow::test_support::fresh_journal(dir_.path()); }

  std::unique_ptr<scale_out::WorkerPool> pool(std::vector<std::string> schedules, const std::string& hold_log = "-",
                                              int hold_ms = 0) {
    std::vector<std::string> command = {SCHEDULE_WORKER_PATH, journal_, hold_log, std::to_string(hold_ms)};
    command.insert(command.end(), schedules.begin(), schedules.end());
    return std::make_unique<scale_out::WorkerPool>(command, dir_.path(), 3);
  }
  std::unique_ptr<workflow::detail::JournalStore> store() {
    return workflow::detail::open_journal_store(journal_, workflow::StoreOptions{});
  }
  /// The runs the schedule `name` started for ticks, by tick time (UTC, `YYYYMMDDTHHMMSSZ`).
  std::map<std::string, workflow::detail::RunRecord> tick_runs(const std::string& name) {
    std::map<std::string, workflow::detail::RunRecord> runs;
    auto prefix = "sched-" + name + "-";
    for (auto& run : store()->read()->list_runs({.workflow_name = kStampId, .limit = 100000})) {
      if (run.id.rfind(prefix, 0) != 0) continue;
      auto tick = run.id.substr(prefix.size());
      EXPECT_EQ(tick.size(), 16u) << "not a tick's run ID: " << run.id;
      EXPECT_TRUE(runs.emplace(tick, run).second) << "two runs for tick " << tick;
    }
    return runs;
  }
  static std::string tick_text(TimePoint tick) {
    std::time_t time = std::chrono::system_clock::to_time_t(tick);
    std::tm parts{};
    gmtime_r(&time, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &parts);
    return text;
  }
  static TimePoint whole_second(TimePoint at) { return std::chrono::floor<std::chrono::seconds>(at); }
  /// Every second from `first` to `last` has exactly one run, which completed with its own ID.
  void expect_every_tick(const std::map<std::string, workflow::detail::RunRecord>& runs, TimePoint first,
                         TimePoint last) {
    auto events_of = store();
    std::size_t expected = 0;
    for (auto tick = first; tick <= last; tick += 1s, ++expected) {
      auto found = runs.find(tick_text(tick));
      if (found == runs.end()) {
        ADD_FAILURE() << "no run for tick " << tick_text(tick);
        continue;
      }
      auto run = events_of->read()->find_run(found->second.id);
      EXPECT_EQ(run->status, workflow::RunStatus::completed) << run->id;
      EXPECT_EQ(run->output, workflow::Json(run->id)) << "the run executed as itself";
      std::size_t created = 0, completed = 0;
      for (auto& event : events_of->read()->events(run->id)) {
        created += event.type == workflow::detail::EventType::run_created;
        completed += event.type == workflow::detail::EventType::run_completed;
      }
      EXPECT_EQ(created, 1u) << run->id;
      EXPECT_EQ(completed, 1u) << run->id;
    }
    EXPECT_GE(expected, 2u);
  }
  /// Waits until every run is final (the workers finish what the last ticks started).
  void wait_until_settled() {
    for (int i = 0; i < 200; ++i) {
      bool unfinished = false;
      for (auto& run : store()->read()->list_runs({.workflow_name = kStampId, .limit = 100000}))
        unfinished = unfinished || !workflow::is_final(run.status);
      if (!unfinished) return;
      std::this_thread::sleep_for(50ms);
    }
  }

  workflow::test_support::TempDir dir_;
  std::string journal_;
};

std::chrono::seconds test_length() {
  const char* seconds = std::getenv("SCHEDULE_TEST_SECONDS");
  return std::chrono::seconds(seconds ? std::atoi(seconds) : 60);
}

TEST_F(ScheduleWorkersTest, ThreeWorkersStartOneRunPerTickOfAOneSecondSchedule) {
  auto workers = pool({every_second("each-second")});
  for (int slot = 0; slot < 3; ++slot) workers->spawn(slot);
  auto started = std::chrono::system_clock::now();
  std::this_thread::sleep_for(test_length());
  // Stopped while firing; a tick of the last second may or may not have fired.
  auto stopped = std::chrono::system_clock::now();
  for (auto& line : workers->terminate(20s)) ADD_FAILURE() << line;
  auto runs = tick_runs("each-second");
  ASSERT_FALSE(runs.empty());
  // Within the first seconds the workers start and declare the schedule; its first tick follows.
  auto first = whole_second(started) + 1s;
  while (!runs.count(tick_text(first)) && first < started + 10s) first += 1s;
  EXPECT_LE(first, started + 10s) << "the schedule did not fire within 10 s of the start";
  {
    auto restarted = pool({every_second("each-second")});  // to finish the last ticks' runs
    restarted->spawn(0);
    wait_until_settled();
    for (auto& line : restarted->terminate(20s)) ADD_FAILURE() << line;
  }
  runs = tick_runs("each-second");
  auto last = whole_second(stopped) - 1s;
  expect_every_tick(runs, first, last);
  std::cout << runs.size() << " runs for the ticks from " << tick_text(first) << " to " << tick_text(last) << "\n";
}

TEST_F(ScheduleWorkersTest, AWorkerKilledMidTickLosesNoTick) {
  auto hold_log = (dir_.path() / "holds.log").string();
  auto workers = pool({every_second("killed")}, hold_log, 300);
  for (int slot = 0; slot < 3; ++slot) workers->spawn(slot);
  auto started = std::chrono::system_clock::now();
  int kills = 0;
  std::size_t lines_seen = 0;
  auto deadline = std::chrono::steady_clock::now() + 25s;
  while (kills < 5 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(2ms);
    std::ifstream log(hold_log);
    std::vector<std::string> lines;
    for (std::string line; std::getline(log, line);) lines.push_back(line);
    if (lines.size() <= lines_seen) continue;
    lines_seen = lines.size();
    if (std::chrono::system_clock::now() - started < 3s) continue;  // let the schedule settle first
    pid_t holder = std::stoi(lines.back());
    for (int slot = 0; slot < 3; ++slot) {
      if (workers->pid(slot) != holder) continue;
      workers->kill(slot);  // inside the 300 ms its tick's transaction stays open
      workers->spawn(slot);
      ++kills;
      std::this_thread::sleep_for(1500ms);
    }
  }
  EXPECT_EQ(kills, 5) << "the hold window was not seen often enough";
  std::this_thread::sleep_for(3s);
  auto stopped = std::chrono::system_clock::now();
  for (auto& line : workers->terminate(20s)) ADD_FAILURE() << line;
  {
    auto restarted = pool({every_second("killed")});
    restarted->spawn(0);
    wait_until_settled();
    for (auto& line : restarted->terminate(20s)) ADD_FAILURE() << line;
  }
  auto runs = tick_runs("killed");
  auto first = whole_second(started) + 1s;
  while (!runs.count(tick_text(first)) && first < started + 10s) first += 1s;
  expect_every_tick(runs, first, whole_second(stopped) - 1s);
}

// One schedule per policy, each ticking at every whole minute, with a 5 s grace period.
TEST_F(ScheduleWorkersTest, AfterTenMinutesOfDowntimeCatchUpFollowsEachPolicy) {
  std::vector<std::string> schedules = {"down-skip,0 * * * * *,allow_all,skip,5,3600",
                                        "down-last,0 * * * * *,allow_all,last,5,3600",
                                        "down-all,0 * * * * *,allow_all,all,5,3600",
                                        "down-window,0 * * * * *,allow_all,all,5,300"};
  // Clear of whole minutes by 15 s on both sides, so that no tick falls into the test's seconds.
  auto second_of_minute = [] {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
               .count() %
           60;
  };
  while (second_of_minute() < 15 || second_of_minute() > 35) std::this_thread::sleep_for(200ms);
  {  // the workers declare the schedules, then all stop
    auto workers = pool(schedules);
    for (int slot = 0; slot < 3; ++slot) workers->spawn(slot);
    for (int i = 0; i < 100 && store()->read()->list_schedules().size() < schedules.size(); ++i)
      std::this_thread::sleep_for(50ms);
    for (auto& line : workers->terminate(20s)) ADD_FAILURE() << line;
  }
  auto minute = std::chrono::floor<std::chrono::minutes>(std::chrono::system_clock::now());
  {  // 10 minutes pass: the next fire time each holds is the tick 10 minutes ago
    auto journal = store();
    auto transaction = journal->write();
    for (auto& schedule : transaction->list_schedules()) {
      ASSERT_EQ(schedule.next_fire_at, minute + 1min) << schedule.name;
      schedule.next_fire_at = minute - 10min;
      transaction->put_schedule(schedule);
    }
    transaction->commit();
  }
  auto workers = pool(schedules);
  for (int slot = 0; slot < 3; ++slot) workers->spawn(slot);
  std::this_thread::sleep_for(5s);
  wait_until_settled();
  for (auto& line : workers->terminate(20s)) ADD_FAILURE() << line;

  auto ticks_of = [&](const std::string& name) {
    std::vector<std::string> ticks;
    for (auto& [tick, run] : tick_runs(name)) {
      EXPECT_EQ(run.status, workflow::RunStatus::completed) << run.id;
      ticks.push_back(tick);
    }
    return ticks;
  };
  auto minutes = [&](int from, int to) {
    std::vector<std::string> ticks;
    for (int m = from; m <= to; ++m) ticks.push_back(tick_text(minute + std::chrono::minutes(m)));
    return ticks;
  };
  EXPECT_EQ(ticks_of("down-skip"), std::vector<std::string>{}) << "skip: no missed tick runs";
  EXPECT_EQ(ticks_of("down-last"), minutes(0, 0)) << "last: only the latest missed tick";
  EXPECT_EQ(ticks_of("down-all"), minutes(-10, 0)) << "all within a 1 h window: all 11 missed ticks";
  EXPECT_EQ(ticks_of("down-window"), minutes(-4, 0)) << "all within a 5 min window: the last 5";
  for (auto& schedule : store()->read()->list_schedules())
    EXPECT_EQ(schedule.next_fire_at, minute + 1min) << schedule.name << " goes on with the next minute";
}

}  // namespace
