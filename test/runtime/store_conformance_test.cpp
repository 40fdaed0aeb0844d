// The conformance suite every journal backend passes (DESIGN §8). Backends are listed in
// INSTANTIATE_TEST_SUITE_P at the bottom; each gets a fresh, empty journal per test.
#include "store/journal_store.hpp"
#include "test_support.hpp"

#include <workflow/errors.hpp>

#include <functional>

namespace workflow::detail {
namespace {

using StoreFactory = std::function<std::unique_ptr<JournalStore>(const std::filesystem::path& dir)>;

struct Backend {
  std::string name;
  StoreFactory open;
};
// How GoogleTest (and so CTest's test list) shows a backend: by name, not as a byte dump.
void PrintTo(const Backend& backend, std::ostream* out) { *out << backend.name; }

TimePoint at(Micros micros) { return from_micros(micros); }

RunRecord make_run(std::string id, std::string workflow = "workflow//./w//a") {
  RunRecord run;
  run.id = std::move(id);
  run.workflow_name = std::move(workflow);
  run.deployment_id = "dep-1";
  run.status = RunStatus::pending;
  run.input = Json::array({1, "two", {{"three", 3}}});
  run.created_at = run.updated_at = at(1'000'000);
  run.ready_at = at(1'000'000);
  return run;
}

Event make_event(std::string run_id, EventType type, std::string correlation_id = {},
                 std::int64_t position = -1) {
  Event event;
  event.run_id = std::move(run_id);
  event.type = type;
  event.correlation_id = std::move(correlation_id);
  event.position = position;
  event.step_name = position >= 0 ? "step//./w//s" : "";
  event.data = {{"n", position}};
  event.created_at = at(2'000'000 + position);
  return event;
}

class StoreConformance : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { store_ = GetParam().open(dir_.path()); }
  void write(const std::function<void(StoreTransaction&)>& body) {
    auto transaction = store_->write();
    body(*transaction);
    transaction->commit();
  }
  workflow::testing::TempDir dir_;
  std::unique_ptr<JournalStore> store_;
};

TEST_P(StoreConformance, RunRoundTripsEveryField) {
  auto run = make_run("r1");
  run.output = {{"ok", true}};
  run.error = {{"message", "boom"}};
  run.started_at = at(1'500'000);
  run.completed_at = at(1'600'000);
  run.owner = "host/1/2/abc";
  run.lease_expires_at = at(9'000'000);
  run.recovery_count = 2;
  run.parent_run_id = "parent";
  run.attempt = 3;
  run.status = RunStatus::failed;
  write([&](StoreTransaction& t) { t.insert_run(run); });
  auto found = store_->read()->find_run("r1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->workflow_name, run.workflow_name);
  EXPECT_EQ(found->deployment_id, "dep-1");
  EXPECT_EQ(found->status, RunStatus::failed);
  EXPECT_EQ(found->input, run.input);
  EXPECT_EQ(found->output, run.output);
  EXPECT_EQ(found->error, run.error);
  EXPECT_EQ(found->created_at, run.created_at);
  EXPECT_EQ(found->started_at, run.started_at);
  EXPECT_EQ(found->completed_at, run.completed_at);
  EXPECT_EQ(found->owner, run.owner);
  EXPECT_EQ(found->lease_expires_at, run.lease_expires_at);
  EXPECT_EQ(found->ready_at, run.ready_at);
  EXPECT_EQ(found->recovery_count, 2);
  EXPECT_EQ(found->parent_run_id, "parent");
  EXPECT_EQ(found->attempt, 3);
  auto fence = store_->read()->fence("r1");
  ASSERT_TRUE(fence);
  EXPECT_EQ(fence->status, RunStatus::failed);
  EXPECT_EQ(fence->owner, run.owner);
  EXPECT_EQ(fence->attempt, 3);
}

TEST_P(StoreConformance, UnknownRunIsEmpty) {
  EXPECT_FALSE(store_->read()->find_run("nope"));
  EXPECT_FALSE(store_->read()->fence("nope"));
  EXPECT_TRUE(store_->read()->events("nope").empty());
}

TEST_P(StoreConformance, UpdateOverwritesAndClearsOptionalFields) {
  auto run = make_run("r1");
  run.owner = "me";
  write([&](StoreTransaction& t) { t.insert_run(run); });
  run.status = RunStatus::completed;
  run.owner.clear();
  run.ready_at.reset();
  run.output = 42;
  write([&](StoreTransaction& t) { t.update_run(run); });
  auto found = store_->read()->find_run("r1");
  EXPECT_EQ(found->status, RunStatus::completed);
  EXPECT_EQ(found->owner, "");
  EXPECT_FALSE(found->ready_at);
  EXPECT_EQ(found->output, Json(42));
}

TEST_P(StoreConformance, EventsComeBackInCommitOrderPerRun) {
  write([&](StoreTransaction& t) {
    t.insert_run(make_run("a"));
    t.insert_run(make_run("b"));
    t.append_event(make_event("a", EventType::run_created));
    t.append_event(make_event("b", EventType::run_created));
    t.append_event(make_event("a", EventType::step_started, "step-1", 1));
  });
  write([&](StoreTransaction& t) { t.append_event(make_event("a", EventType::step_completed, "step-1", 1)); });
  auto events = store_->read()->events("a");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].type, EventType::run_created);
  EXPECT_EQ(events[1].type, EventType::step_started);
  EXPECT_EQ(events[2].type, EventType::step_completed);
  EXPECT_LT(events[1].id, events[2].id);
  EXPECT_EQ(events[2].correlation_id, "step-1");
  EXPECT_EQ(events[2].position, 1);
  EXPECT_EQ(events[2].step_name, "step//./w//s");
  EXPECT_EQ(events[2].data, (Json{{"n", 1}}));
  EXPECT_EQ(events[2].created_at, at(2'000'001));
}

TEST_P(StoreConformance, ACallHasAtMostOneRecordedOutcome) {
  write([&](StoreTransaction& t) {
    t.insert_run(make_run("a"));
    t.append_event(make_event("a", EventType::step_completed, "step-1", 1));
  });
  auto transaction = store_->write();
  EXPECT_THROW(transaction->append_event(make_event("a", EventType::step_completed, "step-1", 1)),
               StorageError);
  EXPECT_THROW(transaction->append_event(make_event("a", EventType::step_failed, "step-1", 1)),
               StorageError);
}

TEST_P(StoreConformance, RollingBackToASavepointUndoesOnlyThatPart) {
  write([&](StoreTransaction& t) {
    t.insert_run(make_run("kept"));
    t.savepoint();
    t.insert_run(make_run("undone"));
    t.rollback_to_savepoint();
    t.savepoint();
    t.insert_run(make_run("also-kept"));
    t.release_savepoint();
  });
  auto reader = store_->read();
  EXPECT_TRUE(reader->find_run("kept"));
  EXPECT_FALSE(reader->find_run("undone"));
  EXPECT_TRUE(reader->find_run("also-kept"));
}

TEST_P(StoreConformance, UncommittedWritesAreDiscarded) {
  {
    auto transaction = store_->write();
    transaction->insert_run(make_run("ghost"));
  }
  EXPECT_FALSE(store_->read()->find_run("ghost"));
  auto lazy = store_->write(/*durable=*/false);
  lazy->insert_run(make_run("lazy"));
  lazy->commit();
  EXPECT_TRUE(store_->read()->find_run("lazy"));  // visible at once
}

TEST_P(StoreConformance, DueRunsHonourReadyTimeLeasesDeadOwnersWorkflowsAndDeployments) {
  auto now = at(10'000'000);
  auto make = [&](std::string id, Micros ready, std::string owner, Micros lease,
                  RunStatus status = RunStatus::pending, std::string workflow = "workflow//./w//a") {
    auto run = make_run(std::move(id), std::move(workflow));
    run.ready_at = at(ready);
    run.owner = std::move(owner);
    run.lease_expires_at = at(lease);
    run.status = status;
    return run;
  };
  write([&](StoreTransaction& t) {
    t.insert_run(make("due-unowned", 9'000'000, "", 0));
    t.insert_run(make("not-yet", 11'000'000, "", 0));
    t.insert_run(make("leased", 1'000'000, "alive", 20'000'000, RunStatus::running));
    t.insert_run(make("expired", 2'000'000, "gone", 9'999'999, RunStatus::running));
    t.insert_run(make("dead-owner", 3'000'000, "dead", 20'000'000, RunStatus::running));
    t.insert_run(make("finished", 1'000'000, "", 0, RunStatus::completed));
    t.insert_run(make("other-workflow", 1'000'000, "", 0, RunStatus::pending, "workflow//./w//b"));
    auto pinned = make("other-deployment", 1'000'000, "", 0);
    pinned.deployment_id = "dep-2";
    t.insert_run(pinned);
    auto paused = make("paused", 1'000'000, "", 0, RunStatus::paused);
    t.insert_run(paused);
    auto parked = make("parked", 0, "", 0, RunStatus::waiting);
    parked.ready_at.reset();
    t.insert_run(parked);
  });
  auto reader = store_->read();
  std::vector<std::string> ids;
  for (auto& run : reader->due_runs({"workflow//./w//a"}, "dep-1", now, {"dead"}, 10)) ids.push_back(run.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"expired", "dead-owner", "due-unowned"}));  // by ready_at
  EXPECT_EQ(reader->due_runs({"workflow//./w//a"}, "dep-1", now, {"dead"}, 1).size(), 1u);
  EXPECT_EQ(reader->due_runs({"workflow//./w//b"}, "dep-1", now, {}, 10).size(), 1u);
  EXPECT_TRUE(reader->due_runs({}, "dep-1", now, {}, 10).empty());
  ids.clear();
  for (auto& run : reader->due_runs({"workflow//./w//a"}, "dep-2", now, {}, 10)) ids.push_back(run.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"other-deployment"}));
  auto holders = reader->lease_holders();
  std::sort(holders.begin(), holders.end());
  EXPECT_EQ(holders, (std::vector<std::string>{"alive", "dead", "gone"}));
}

TEST_P(StoreConformance, NextDueIsTheEarliestTimeAnyRunCanBeClaimed) {
  auto run = make_run("a");
  run.ready_at = at(5'000'000);
  auto leased = make_run("b");
  leased.ready_at = at(1'000'000);
  leased.owner = "someone";
  leased.lease_expires_at = at(7'000'000);
  write([&](StoreTransaction& t) {
    t.insert_run(run);
    t.insert_run(leased);
  });
  EXPECT_EQ(store_->read()->next_due({"workflow//./w//a"}, "dep-1"), at(5'000'000));
  EXPECT_FALSE(store_->read()->next_due({"workflow//./w//zzz"}, "dep-1"));
  EXPECT_FALSE(store_->read()->next_due({"workflow//./w//a"}, "dep-2"));
}

TEST_P(StoreConformance, ExtendLeasesTouchesOnlyTheOwnersRuns) {
  auto mine = make_run("mine");
  mine.owner = "me";
  mine.lease_expires_at = at(1);
  auto theirs = make_run("theirs");
  theirs.owner = "them";
  theirs.lease_expires_at = at(1);
  write([&](StoreTransaction& t) {
    t.insert_run(mine);
    t.insert_run(theirs);
  });
  write([&](StoreTransaction& t) { t.extend_leases("me", at(99)); });
  EXPECT_EQ(store_->read()->find_run("mine")->lease_expires_at, at(99));
  EXPECT_EQ(store_->read()->find_run("theirs")->lease_expires_at, at(1));
  write([&](StoreTransaction& t) { t.release_runs("me"); });
  EXPECT_EQ(store_->read()->find_run("mine")->owner, "");
  EXPECT_EQ(store_->read()->find_run("theirs")->owner, "them");
}

TEST_P(StoreConformance, ListRunsFiltersNewestFirstAndPages) {
  write([&](StoreTransaction& t) {
    for (int i = 0; i < 5; ++i) {
      auto run = make_run("run-" + std::to_string(i), i % 2 ? "workflow//./w//odd" : "workflow//./w//even");
      run.created_at = at(1'000'000 + i);
      run.status = i == 4 ? RunStatus::completed : RunStatus::pending;
      t.insert_run(run);
    }
  });
  auto reader = store_->read();
  auto ids = [](const std::vector<RunRecord>& runs) {
    std::vector<std::string> result;
    for (auto& run : runs) result.push_back(run.id);
    return result;
  };
  EXPECT_EQ(ids(reader->list_runs({})), (std::vector<std::string>{"run-4", "run-3", "run-2", "run-1", "run-0"}));
  EXPECT_EQ(ids(reader->list_runs({.workflow_name = "workflow//./w//odd"})), (std::vector<std::string>{"run-3", "run-1"}));
  EXPECT_EQ(ids(reader->list_runs({.status = RunStatus::completed})), (std::vector<std::string>{"run-4"}));
  EXPECT_EQ(ids(reader->list_runs({.created_after = at(1'000'002)})), (std::vector<std::string>{"run-4", "run-3"}));
  EXPECT_EQ(ids(reader->list_runs({.limit = 2})), (std::vector<std::string>{"run-4", "run-3"}));
  EXPECT_EQ(ids(reader->list_runs({.limit = 2, .before_id = "run-3"})), (std::vector<std::string>{"run-2", "run-1"}));
  // Filter values are data, never SQL.
  EXPECT_TRUE(reader->list_runs({.workflow_name = "x' OR '1'='1"}).empty());
}

TEST_P(StoreConformance, RegisteringAWorkflowAgainUpdatesIt) {
  write([&](StoreTransaction& t) {
    t.register_workflow({"workflow//./w//a", "dep-1", at(1)});
    t.register_workflow({"workflow//./w//a", "dep-1", at(2)});
    t.register_workflow({"workflow//./w//a", "dep-2", at(3)});
  });
  auto workflows = store_->read()->workflows();
  ASSERT_EQ(workflows.size(), 2u);
  EXPECT_EQ(workflows[0].registered_at, at(2));
}

TEST_P(StoreConformance, ReportsChangesByOtherConnections) {
  EXPECT_FALSE(store_->changed_by_others());
  write([&](StoreTransaction& t) { t.insert_run(make_run("own")); });
  EXPECT_FALSE(store_->changed_by_others());  // our own commit is not news
  auto other = GetParam().open(dir_.path());
  auto transaction = other->write();
  transaction->insert_run(make_run("theirs"));
  transaction->commit();
  EXPECT_TRUE(store_->changed_by_others());
  EXPECT_TRUE(store_->read()->find_run("theirs"));
}

TEST_P(StoreConformance, StreamChunksAreNumberedInOrderAndAppendedOncePerWriterKey) {
  write([&](StoreTransaction& t) {
    EXPECT_TRUE(t.append_stream_chunk("r1", "log", "step-1/log#0", R"("a")", at(1)));
    EXPECT_TRUE(t.append_stream_chunk("r1", "log", "step-1/log#1", R"({"n":2})", at(2)));
    EXPECT_FALSE(t.append_stream_chunk("r1", "log", "step-1/log#0", R"("a again")", at(3)));  // a retry
    EXPECT_TRUE(t.append_stream_chunk("r1", "other", "step-1/log#0", R"("same key, other stream")", at(4)));
    EXPECT_TRUE(t.append_stream_chunk("r2", "log", "step-1/log#0", R"("same key, other run")", at(5)));
  });
  auto slice = store_->read()->read_stream("r1", "log", 0, 100);
  ASSERT_EQ(slice.chunks.size(), 2u);
  EXPECT_EQ(slice.chunks[0].index, 0);
  EXPECT_EQ(slice.chunks[0].data, "a");
  EXPECT_EQ(slice.chunks[0].written_at, at(1));
  EXPECT_EQ(slice.chunks[1].index, 1);
  EXPECT_EQ(slice.chunks[1].data, (Json{{"n", 2}}));
  EXPECT_EQ(slice.state.length, 2);
  EXPECT_FALSE(slice.state.closed);
  auto tail = store_->read()->read_stream("r1", "log", 1, 100);
  ASSERT_EQ(tail.chunks.size(), 1u);
  EXPECT_EQ(tail.chunks[0].index, 1);
  EXPECT_EQ(store_->read()->read_stream("r1", "log", 0, 1).chunks.size(), 1u);
  EXPECT_EQ(store_->read()->count_stream_chunks("r1", "log", "step-1/log#"), 2);
  EXPECT_EQ(store_->read()->count_stream_chunks("r1", "log", "step-2/"), 0);
  EXPECT_EQ(store_->read()->count_stream_chunks("r1", "other", "step-1/"), 1);
  EXPECT_EQ(store_->read()->count_stream_chunks("r1", "log", "step-1/log%"), 0);  // no pattern matching
  auto missing = store_->read()->read_stream("r1", "nothing", 0, 100);
  EXPECT_TRUE(missing.chunks.empty());
  EXPECT_EQ(missing.state.length, 0);
}

TEST_P(StoreConformance, AClosedStreamTakesNoChunksUntilReopened) {
  write([&](StoreTransaction& t) {
    t.append_stream_chunk("r1", "log", "k0", "0", at(1));
    t.close_stream("r1", "log");
    t.close_stream("r1", "empty");
    EXPECT_FALSE(t.append_stream_chunk("r1", "log", "k1", "1", at(2)));
  });
  auto streams = store_->read()->streams("r1");
  ASSERT_EQ(streams.size(), 2u);
  EXPECT_EQ(streams[0].name_space, "empty");
  EXPECT_TRUE(streams[0].closed);
  EXPECT_EQ(streams[0].length, 0);
  EXPECT_EQ(streams[1].name_space, "log");
  EXPECT_EQ(streams[1].length, 1);
  EXPECT_TRUE(store_->read()->read_stream("r1", "log", 0, 10).state.closed);
  write([&](StoreTransaction& t) {
    t.reopen_streams("r1");
    EXPECT_TRUE(t.append_stream_chunk("r1", "log", "k1", "1", at(2)));
  });
  auto slice = store_->read()->read_stream("r1", "log", 0, 10);
  EXPECT_FALSE(slice.state.closed);
  EXPECT_EQ(slice.chunks.size(), 2u);
  EXPECT_TRUE(store_->read()->streams("r2").empty());
}

// Workers and tools started side by side all open a journal that does not exist yet: each either
// creates it or finds it created, never a half-made file it takes for something else.
TEST_P(StoreConformance, ManyOpenersOfAFreshJournalAllSucceed) {
  for (int round = 0; round < 20; ++round) {
    auto dir = dir_.path() / ("fresh-" + std::to_string(round));
    std::filesystem::create_directories(dir);
    std::atomic<int> waiting{6};
    std::vector<std::string> errors(6);
    std::vector<std::thread> openers;
    for (int i = 0; i < 6; ++i)
      openers.emplace_back([&, i] {
        --waiting;
        while (waiting > 0) std::this_thread::yield();
        try {
          auto store = GetParam().open(dir);
          store->read()->workflows();
        } catch (const std::exception& error) {
          errors[static_cast<std::size_t>(i)] = error.what();
        }
      });
    for (auto& opener : openers) opener.join();
    for (const auto& error : errors) EXPECT_EQ(error, "") << "round " << round;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Backends, StoreConformance,
    ::testing::Values(Backend{"sqlite", [](const std::filesystem::path& dir) {
      return open_journal_store((dir / "journal.db").string(), true, std::chrono::milliseconds(2000));
    }}),
    [](const ::testing::TestParamInfo<Backend>& info) { return info.param.name; });

}  // namespace
}  // namespace workflow::detail
