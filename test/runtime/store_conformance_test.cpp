// The conformance suite every journal backend passes (DESIGN §8). Backends are listed in
// INSTANTIATE_TEST_SUITE_P at the bottom; each gets a fresh, empty journal per test. All are
// instantiated whatever the environment, so that both CTest registrations (test/runtime/
// CMakeLists.txt) see one test list; each runs one backend's cases: `sqlite.…/sqlite`, and
// `postgresql.…/postgresql` with WORKFLOW_TEST_BACKEND=postgresql against the fixture's server.
// The cases with two store objects on one journal stand for two processes sharing it.
#include "retention/journal_pruner.hpp"
#include "store/journal_store.hpp"
#include "test_support.hpp"

#include <workflow/errors.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>

namespace workflow::detail {
namespace {

using namespace std::chrono_literals;

struct Backend {
  std::string name;
  /// A fresh, empty journal: a file in `dir`, or a new PostgreSQL schema.
  std::function<std::string(const std::filesystem::path& dir)> fresh_journal;
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
  void SetUp() override {
    // Only ever true outside CTest (which runs each backend's cases with its environment): a
    // developer running the binary by hand without a PostgreSQL server.
    if (GetParam().name != "sqlite" && GetParam().name != workflow::test_support::test_backend())
      GTEST_SKIP() << "runs with WORKFLOW_TEST_BACKEND=" << GetParam().name << " (ctest -R postgresql)";
    journal_ = GetParam().fresh_journal(dir_.path());
    store_ = open(journal_);
  }
  static std::unique_ptr<JournalStore> open(const std::string& journal) {
    StoreOptions options;
    options.busy_timeout = 2000ms;
    return open_journal_store(journal, options);
  }
  /// A second store object on the test's journal, as another process would open it.
  std::unique_ptr<JournalStore> open_another() const { return open(journal_); }
  void write(const std::function<void(StoreTransaction&)>& body) { write(*store_, body); }
  static void write(JournalStore& store, const std::function<void(StoreTransaction&)>& body) {
    auto transaction = store.write();
    body(*transaction);
    transaction->commit();
  }
  /// Claims for `owner` what is due at 10 s among runs of workflow a in dep-1, until 60 s.
  static ClaimRequest claim_for(std::string owner, std::size_t limit = 10) {
    return {.workflows = {"workflow//./w//a"}, .deployment = "dep-1", .now = at(10'000'000),
            .dead_owners = {}, .limit = limit, .owner = std::move(owner), .lease_until = at(60'000'000)};
  }
  workflow::test_support::TempDir dir_;
  std::string journal_;
  std::unique_ptr<JournalStore> store_;
};

std::vector<std::string> ids_of(const std::vector<RunRecord>& runs) {
  std::vector<std::string> ids;
  for (const auto& run : runs) ids.push_back(run.id);
  return ids;
}

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

TEST_P(StoreConformance, AttachedUnfinishedChildrenLeaveOutEndedDetachedAndOthersChildren) {
  write([&](StoreTransaction& t) {
    t.insert_run(make_run("parent"));
    auto child = [&](std::string id, std::string parent, RunStatus status) {
      auto run = make_run(std::move(id));
      run.parent_run_id = std::move(parent);
      run.status = status;
      t.insert_run(run);
    };
    child("running", "parent", RunStatus::running);
    child("paused", "parent", RunStatus::paused);
    child("waiting", "parent", RunStatus::waiting);
    child("done", "parent", RunStatus::completed);
    child("gone", "parent", RunStatus::cancelled);
    child("detached", "parent", RunStatus::running);
    t.mark_detached("detached");
    t.mark_detached("detached");  // idempotent
    child("someone-elses", "other-parent", RunStatus::running);
  });
  auto children = store_->read()->attached_unfinished_children("parent");
  std::sort(children.begin(), children.end());
  EXPECT_EQ(children, (std::vector<std::string>{"paused", "running", "waiting"}));
  EXPECT_TRUE(store_->read()->attached_unfinished_children("").empty());
  EXPECT_TRUE(store_->read()->attached_unfinished_children("nobody").empty());
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

TEST_P(StoreConformance, ClaimsHonourReadyTimeLeasesDeadOwnersWorkflowsAndDeployments) {
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
    auto expired = make("expired", 2'000'000, "gone", 9'999'999, RunStatus::running);
    expired.recovery_count = 2;
    t.insert_run(expired);
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
  auto holders = store_->read()->lease_holders();
  std::sort(holders.begin(), holders.end());
  EXPECT_EQ(holders, (std::vector<std::string>{"alive", "dead", "gone"}));

  auto claim = [&](ClaimRequest request, bool commit = true) {
    auto transaction = store_->write();
    auto claimed = transaction->claim_due_runs(request);
    if (commit) transaction->commit();
    return claimed;
  };
  auto request = claim_for("me", 1);
  request.dead_owners = {"dead"};
  EXPECT_EQ(ids_of(claim(request, /*commit=*/false)), (std::vector<std::string>{"expired"}));
  EXPECT_EQ(store_->read()->find_run("expired")->owner, "gone");  // a claim rolled back takes nothing

  auto first = claim(request);  // oldest due first
  ASSERT_EQ(ids_of(first), (std::vector<std::string>{"expired"}));
  EXPECT_EQ(first[0].owner, "me");  // returned as updated
  EXPECT_EQ(first[0].lease_expires_at, at(60'000'000));
  EXPECT_EQ(first[0].recovery_count, 3);  // taken from another owner
  EXPECT_TRUE(first[0].taken_over);
  request.limit = 10;
  auto rest = claim(request);
  EXPECT_EQ(ids_of(rest), (std::vector<std::string>{"dead-owner", "due-unowned"}));  // by ready_at
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].recovery_count, 1);
  EXPECT_EQ(rest[1].recovery_count, 0);  // nobody held it: not a recovery
  EXPECT_TRUE(rest[0].taken_over);
  EXPECT_FALSE(rest[1].taken_over);
  EXPECT_TRUE(claim(request).empty());   // all held now, by live leases
  request.workflows = {};
  EXPECT_TRUE(claim(request).empty());
  request.workflows = {"workflow//./w//b"};
  EXPECT_EQ(ids_of(claim(request)), (std::vector<std::string>{"other-workflow"}));
  request.workflows = {"workflow//./w//a"};
  request.deployment = "dep-2";
  EXPECT_EQ(ids_of(claim(request)), (std::vector<std::string>{"other-deployment"}));

  auto reader = store_->read();
  auto expired = reader->find_run("expired");
  EXPECT_EQ(expired->owner, "me");
  EXPECT_EQ(expired->lease_expires_at, at(60'000'000));
  EXPECT_EQ(expired->recovery_count, 3);
  EXPECT_EQ(reader->find_run("leased")->owner, "alive");
  EXPECT_EQ(reader->find_run("not-yet")->owner, "");
  holders = reader->lease_holders();
  std::sort(holders.begin(), holders.end());
  EXPECT_EQ(holders, (std::vector<std::string>{"alive", "me"}));
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

TEST_P(StoreConformance, StoredChunksComeBackWithTheirWriterKeysInIndexOrder) {
  write([&](StoreTransaction& t) {
    t.append_stream_chunk("r1", "log", "step-1/log#0", R"("a")", at(1));
    t.append_stream_chunk("r1", "log", "step-1/log#1", R"({"n":2})", at(2));
    t.append_stream_chunk("r1", "log", "step-1/log#0", R"("a again")", at(3));  // a retry: not stored
    t.append_stream_chunk("r1", "other", "step-1/log#0", R"("other stream")", at(4));
  });
  for (int i = 2; i < 12; ++i)  // one commit each
    write([&](StoreTransaction& t) { t.append_stream_chunk("r1", "log", "step-2/log#" + std::to_string(i), std::to_string(i), at(10 + i)); });
  auto chunks = store_->read()->stream_chunks("r1", "log");
  ASSERT_EQ(chunks.size(), 12u);
  EXPECT_EQ(chunks[0].index, 0);
  EXPECT_EQ(chunks[0].writer_key, "step-1/log#0");
  EXPECT_EQ(Json::parse(chunks[0].json_text), Json("a"));  // a backend may store JSON reformatted
  EXPECT_EQ(chunks[0].written_at, at(1));
  EXPECT_EQ(chunks[1].writer_key, "step-1/log#1");
  EXPECT_EQ(Json::parse(chunks[1].json_text), (Json{{"n", 2}}));
  for (int i = 2; i < 12; ++i) {
    const auto& chunk = chunks[static_cast<std::size_t>(i)];
    EXPECT_EQ(chunk.index, i);
    EXPECT_EQ(chunk.writer_key, "step-2/log#" + std::to_string(i));
    EXPECT_EQ(Json::parse(chunk.json_text), Json(i));
    EXPECT_EQ(chunk.written_at, at(10 + i));
  }
  auto other = store_->read()->stream_chunks("r1", "other");
  ASSERT_EQ(other.size(), 1u);
  EXPECT_EQ(other[0].index, 0);
  EXPECT_TRUE(store_->read()->stream_chunks("r1", "nothing").empty());
  EXPECT_TRUE(store_->read()->stream_chunks("r2", "log").empty());
}

// Workers and tools started side by side all open a journal that does not exist yet: each either
// creates it or finds it created, never a half-made file (or schema) it takes for something else.
TEST_P(StoreConformance, ManyOpenersOfAFreshJournalAllSucceed) {
  for (int round = 0; round < 20; ++round) {
    auto dir = dir_.path() / ("fresh-" + std::to_string(round));
    std::filesystem::create_directories(dir);
    auto journal = GetParam().fresh_journal(dir);
    std::atomic<int> waiting{6};
    std::vector<std::string> errors(6);
    std::vector<std::thread> openers;
    for (int i = 0; i < 6; ++i)
      openers.emplace_back([&, i] {
        --waiting;
        while (waiting > 0) std::this_thread::yield();
        try {
          auto store = open(journal);
          store->read()->workflows();
        } catch (const std::exception& error) {
          errors[static_cast<std::size_t>(i)] = error.what();
        }
      });
    for (auto& opener : openers) opener.join();
    for (const auto& error : errors) EXPECT_EQ(error, "") << "round " << round;
  }
}

// Two workers polling for due runs at once: each run is claimed once, by one of them.
TEST_P(StoreConformance, TwoStoresRacingToClaimTakeEachRunOnce) {
  auto other = open_another();
  JournalStore* stores[2] = {store_.get(), other.get()};
  const std::string owners[2] = {"store-a", "store-b"};
  for (int round = 0; round < 20; ++round) {
    std::set<std::string> due;
    write([&](StoreTransaction& t) {
      for (int i = 0; i < 50; ++i) {
        auto run = make_run("round-" + std::to_string(round) + "-" + std::to_string(i));
        run.ready_at = at(1'000'000 + i);
        t.insert_run(run);
        due.insert(run.id);
      }
    });
    std::vector<std::string> claimed[2];
    std::string errors[2];
    std::atomic<int> waiting{2};
    auto claimer = [&](int who) {
      --waiting;
      while (waiting > 0) std::this_thread::yield();
      try {
        for (;;) {
          std::vector<RunRecord> runs;
          try {
            auto transaction = stores[who]->write();
            runs = transaction->claim_due_runs(claim_for(owners[who], 3));
            transaction->commit();
          } catch (const TransactionConflictError&) {
            continue;  // nothing was claimed: claim again
          }
          if (runs.empty()) return;  // the rest is taken, or being taken by the other
          for (const auto& run : runs) {
            EXPECT_EQ(run.owner, owners[who]);
            claimed[who].push_back(run.id);
          }
        }
      } catch (const std::exception& error) {
        errors[who] = error.what();
      }
    };
    std::thread a(claimer, 0), b(claimer, 1);
    a.join();
    b.join();
    ASSERT_EQ(errors[0], "");
    ASSERT_EQ(errors[1], "");
    std::multiset<std::string> all(claimed[0].begin(), claimed[0].end());
    all.insert(claimed[1].begin(), claimed[1].end());
    ASSERT_EQ(all, std::multiset<std::string>(due.begin(), due.end())) << "round " << round;
    auto reader = store_->read();
    for (int who = 0; who < 2; ++who)
      for (const auto& id : claimed[who]) EXPECT_EQ(reader->find_run(id)->owner, owners[who]) << id;
  }
}

// A worker whose lease ran out writes a step's outcome (fence, then write) while another worker
// claims the run: the claim skips the run while the fenced write holds it (or, where write
// transactions exclude each other, waits for it), and never takes it from under that write.
TEST_P(StoreConformance, AClaimDoesNotTakeARunFromUnderAFencedWrite) {
  auto run = make_run("r");
  run.status = RunStatus::running;
  run.owner = "store-a";
  run.lease_expires_at = at(5'000'000);  // expired at 10 s
  run.recovery_count = 1;
  write([&](StoreTransaction& t) { t.insert_run(run); });
  auto other = open_another();

  auto a = store_->write();
  auto fence = a->fence("r");
  ASSERT_TRUE(fence);
  ASSERT_EQ(fence->owner, "store-a");
  std::atomic<bool> b_began{false}, b_done{false};
  std::vector<RunRecord> first_claim;
  std::string b_error;
  std::thread b([&] {
    try {
      auto transaction = other->write();
      b_began = true;
      first_claim = transaction->claim_due_runs(claim_for("store-b"));
      transaction->commit();
    } catch (const std::exception& error) {
      b_error = error.what();
    }
    b_done = true;
  });
  // Where write transactions exclude each other, B cannot begin before A ends. Once B has begun,
  // its claim ends without waiting for A (well within the 2 s lock timeout): it skips A's run.
  for (int i = 0; i < 100 && !b_began; ++i) std::this_thread::sleep_for(5ms);
  for (int i = 0; i < 200 && b_began && !b_done; ++i) std::this_thread::sleep_for(5ms);
  if (b_began) EXPECT_TRUE(b_done) << "the claim waited for the run a fenced write holds instead of skipping it";
  bool b_ended_while_a_held_the_run = b_done;
  auto current = a->find_run("r");
  current->output = {{"written_by", "store-a"}};
  a->update_run(*current);
  a->append_event(make_event("r", EventType::step_completed, "step-1", 1));
  a->commit();
  a.reset();  // a store object has one write transaction at a time
  b.join();
  ASSERT_EQ(b_error, "");
  if (b_ended_while_a_held_the_run) {
    EXPECT_TRUE(first_claim.empty()) << "the claim took a run whose row a fenced write held";
  } else if (!first_claim.empty()) {
    EXPECT_EQ(first_claim[0].output, current->output) << "a claim that waited must see the write it waited for";
  }
  if (first_claim.empty()) {  // the run is free now: B takes it over
    auto transaction = other->write();
    EXPECT_EQ(ids_of(transaction->claim_due_runs(claim_for("store-b"))), std::vector<std::string>{"r"});
    transaction->commit();
  }
  {  // A's next write is fenced off: it sees the new owner, and writes nothing
    auto transaction = store_->write();
    EXPECT_EQ(transaction->fence("r")->owner, "store-b");
  }
  auto final_state = store_->read()->find_run("r");
  EXPECT_EQ(final_state->owner, "store-b");
  EXPECT_EQ(final_state->recovery_count, 2);
  EXPECT_EQ(final_state->output, current->output);
  EXPECT_EQ(store_->read()->events("r").size(), 1u);
}

// The other order: a claim holds the run (not committed yet) when the old owner fences its write.
// The fence waits for the claim to commit and then sees the new owner: it never reads the old
// owner from before the claim and writes on that.
TEST_P(StoreConformance, AFenceDuringAClaimWaitsAndSeesTheNewOwner) {
  auto run = make_run("r");
  run.status = RunStatus::running;
  run.owner = "store-a";
  run.lease_expires_at = at(5'000'000);
  write([&](StoreTransaction& t) { t.insert_run(run); });
  auto other = open_another();
  auto b = other->write();
  ASSERT_EQ(ids_of(b->claim_due_runs(claim_for("store-b"))), std::vector<std::string>{"r"});

  std::atomic<bool> a_done{false};
  std::optional<RunFence> seen_by_a;
  std::string a_error;
  std::thread a([&] {
    try {
      auto transaction = store_->write();
      seen_by_a = transaction->fence("r");
      if (seen_by_a && seen_by_a->owner == "store-a") {  // what a stale owner would do next
        auto stale = transaction->find_run("r");
        stale->output = "stale";
        transaction->update_run(*stale);
        transaction->commit();
      }
    } catch (const std::exception& error) {
      a_error = error.what();
    }
    a_done = true;
  });
  std::this_thread::sleep_for(300ms);
  EXPECT_FALSE(a_done) << "the fence did not wait for the claim that holds the run";
  b->commit();
  a.join();
  ASSERT_EQ(a_error, "");
  ASSERT_TRUE(seen_by_a);
  EXPECT_EQ(seen_by_a->owner, "store-b");
  auto final_state = store_->read()->find_run("r");
  EXPECT_EQ(final_state->owner, "store-b");
  EXPECT_EQ(final_state->output, Json());
}

TEST_P(StoreConformance, WaitForChangeWakesOnCommitsOfOtherStoresOnly) {
  using Steady = std::chrono::steady_clock;
  auto other = open_another();
  // What this store knows now, once whatever opening the other store wrote has been seen.
  std::uint64_t seen = 0;
  for (int i = 0; i < 20; ++i) {
    auto now = store_->wait_for_change(seen, wall_now() + 200ms);
    if (now == seen) break;
    seen = now;
  }

  write([&](StoreTransaction& t) { t.insert_run(make_run("own")); });
  auto started = Steady::now();
  EXPECT_EQ(store_->wait_for_change(seen, wall_now() + 300ms), seen) << "its own commit is no news";
  EXPECT_GE(Steady::now() - started, 200ms);
  EXPECT_LT(Steady::now() - started, 5s);

  std::thread committer([&] {
    std::this_thread::sleep_for(100ms);
    write(*other, [&](StoreTransaction& t) { t.insert_run(make_run("theirs")); });
  });
  started = Steady::now();
  auto changed = store_->wait_for_change(seen, wall_now() + 20s);
  auto waited = Steady::now() - started;
  committer.join();
  EXPECT_GT(changed, seen);
  EXPECT_LT(waited, 5s) << "woken by the other store's commit, well before the deadline";
  EXPECT_TRUE(store_->read()->find_run("theirs"));

  std::atomic<bool> waiting{false};
  Steady::time_point woke;
  std::thread waiter([&] {
    waiting = true;
    store_->wait_for_change(changed, wall_now() + 30s);
    woke = Steady::now();
  });
  while (!waiting) std::this_thread::yield();
  std::this_thread::sleep_for(100ms);
  auto interrupted = Steady::now();
  store_->interrupt_waits();
  waiter.join();
  EXPECT_LT(woke - interrupted, 2s) << "interrupt_waits did not end the wait";
}

ScheduleRecord make_schedule(std::string name, std::int64_t next_fire_micros) {
  ScheduleRecord schedule;
  schedule.name = std::move(name);
  schedule.workflow_id = "workflow//./w//a";
  schedule.arguments = Json::array({1, "two"});
  schedule.spec = "*/5 * * * * *";
  schedule.time_zone = "Europe/Berlin";
  schedule.overlap = "buffer_one";
  schedule.catch_up = "all";
  schedule.catch_up_window = std::chrono::minutes(10);
  schedule.grace = std::chrono::seconds(30);
  schedule.deployment_id = "dep-1";
  schedule.next_fire_at = at(next_fire_micros);
  schedule.created_at = at(1'000'000);
  schedule.updated_at = at(1'000'000);
  return schedule;
}

TEST_P(StoreConformance, SchedulesRoundTripEveryFieldAndAreListedByName) {
  auto schedule = make_schedule("nightly", 5'000'000);
  schedule.paused = true;
  schedule.last_tick_at = at(4'000'000);
  schedule.last_run_id = "sched-nightly-1";
  schedule.buffered_tick_at = at(4'500'000);
  schedule.skipped_count = 7;
  write([&](StoreTransaction& t) {
    t.put_schedule(schedule);
    t.put_schedule(make_schedule("early", 6'000'000));
  });
  auto found = store_->read()->find_schedule("nightly");
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->damage);
  EXPECT_EQ(found->workflow_id, schedule.workflow_id);
  EXPECT_EQ(found->arguments, schedule.arguments);
  EXPECT_EQ(found->spec, schedule.spec);
  EXPECT_EQ(found->time_zone, "Europe/Berlin");
  EXPECT_EQ(found->overlap, "buffer_one");
  EXPECT_EQ(found->catch_up, "all");
  EXPECT_EQ(found->catch_up_window, schedule.catch_up_window);
  EXPECT_EQ(found->grace, schedule.grace);
  EXPECT_EQ(found->deployment_id, "dep-1");
  EXPECT_TRUE(found->paused);
  EXPECT_EQ(found->next_fire_at, schedule.next_fire_at);
  EXPECT_EQ(found->last_tick_at, schedule.last_tick_at);
  EXPECT_EQ(found->last_run_id, "sched-nightly-1");
  EXPECT_EQ(found->buffered_tick_at, schedule.buffered_tick_at);
  EXPECT_EQ(found->skipped_count, 7);
  EXPECT_EQ(found->created_at, schedule.created_at);
  auto all = store_->read()->list_schedules();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "early");
  EXPECT_EQ(all[1].name, "nightly");

  schedule.paused = false;
  schedule.next_fire_at.reset();
  schedule.buffered_tick_at.reset();
  write([&](StoreTransaction& t) { t.put_schedule(schedule); });
  found = store_->read()->find_schedule("nightly");
  EXPECT_FALSE(found->paused);
  EXPECT_FALSE(found->next_fire_at);
  EXPECT_FALSE(found->buffered_tick_at);
  EXPECT_EQ(store_->read()->list_schedules().size(), 2u) << "put overwrites, it does not add";

  bool deleted = false, again = true;
  write([&](StoreTransaction& t) {
    deleted = t.delete_schedule("nightly");
    again = t.delete_schedule("nightly");
  });
  EXPECT_TRUE(deleted);
  EXPECT_FALSE(again);
  EXPECT_FALSE(store_->read()->find_schedule("nightly"));
}

TEST_P(StoreConformance, DueSchedulesAreUnpausedWithATickReachedOrABufferedTickWhoseRunEnded) {
  auto due = make_schedule("due", 9'000'000);
  auto later = make_schedule("later", 11'000'000);
  auto paused = make_schedule("paused", 1'000'000);
  paused.paused = true;
  auto waiting = make_schedule("buffer-waits", 50'000'000);  // its previous run is unfinished
  waiting.buffered_tick_at = at(8'000'000);
  waiting.last_run_id = "running";
  auto ready = make_schedule("buffer-ready", 50'000'000);  // its previous run has ended
  ready.buffered_tick_at = at(8'000'000);
  ready.last_run_id = "ended";
  auto running = make_run("running");
  running.status = RunStatus::running;
  auto ended = make_run("ended");
  ended.status = RunStatus::completed;
  write([&](StoreTransaction& t) {
    for (auto* schedule : {&due, &later, &paused, &waiting, &ready}) t.put_schedule(*schedule);
    t.insert_run(running);
    t.insert_run(ended);
  });
  std::vector<std::string> names;
  {
    auto transaction = store_->write();
    for (auto& schedule : transaction->claim_due_schedules(at(10'000'000), 10)) names.push_back(schedule.name);
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"buffer-ready", "due"}));
  EXPECT_EQ(store_->read()->next_schedule_work(at(10'000'000)), at(10'000'000));
  write([&](StoreTransaction& t) {
    t.delete_schedule("due");
    t.delete_schedule("buffer-ready");
  });
  EXPECT_EQ(store_->read()->next_schedule_work(at(10'000'000)), at(11'000'000)) << "the earliest unpaused tick";
  write([&](StoreTransaction& t) {
    for (auto name : {"later", "buffer-waits"}) t.delete_schedule(name);
  });
  EXPECT_FALSE(store_->read()->next_schedule_work(at(10'000'000))) << "only a paused schedule is left";
}

// Two workers' tickers at once: a schedule one of them holds is passed by, not waited for and
// never handed to both.
TEST_P(StoreConformance, TwoStoresClaimingDueSchedulesTakeEachOnce) {
  write([&](StoreTransaction& t) { t.put_schedule(make_schedule("s", 9'000'000)); });
  auto other = open_another();
  auto a = store_->write();
  ASSERT_EQ(a->claim_due_schedules(at(10'000'000), 10).size(), 1u);
  std::atomic<bool> b_began{false}, b_done{false};
  std::size_t b_claimed = 0;
  std::thread b([&] {
    auto transaction = other->write();
    b_began = true;
    b_claimed = transaction->claim_due_schedules(at(10'000'000), 10).size();
    transaction->commit();
    b_done = true;
  });
  for (int i = 0; i < 100 && !b_began; ++i) std::this_thread::sleep_for(5ms);
  for (int i = 0; i < 200 && b_began && !b_done; ++i) std::this_thread::sleep_for(5ms);
  if (b_began) EXPECT_TRUE(b_done) << "the claim waited for a schedule another transaction holds";
  auto claimed = a->find_schedule("s");
  claimed->next_fire_at = at(20'000'000);
  a->put_schedule(*claimed);
  a->commit();
  a.reset();
  b.join();
  EXPECT_EQ(b_claimed, 0u) << "a schedule was claimed twice for one tick";
}

TEST_P(StoreConformance, ADamagedScheduleDefinitionIsReportedNotUsed) {
  write([&](StoreTransaction& t) { t.put_schedule(make_schedule("s", 9'000'000)); });
  auto tampered = make_schedule("s", 9'000'000);
  tampered.workflow_id = "workflow//./w//b";
  // The state may change in place: only the definition is covered.
  tampered.skipped_count = 3;
  auto found = store_->read()->find_schedule("s");
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->damage);
  // A changed definition with the old checksum, as a hand edit would leave it.
  auto sum_of_original = schedule_checksum(make_schedule("s", 9'000'000), make_schedule("s", 0).arguments.dump());
  ScheduleRecord decoded = tampered;
  decode_schedule_definition(decoded, tampered.arguments.dump(), sum_of_original);
  EXPECT_TRUE(decoded.damage);
  ScheduleRecord state_only = make_schedule("s", 123);
  state_only.skipped_count = 3;
  state_only.paused = true;
  decode_schedule_definition(state_only, state_only.arguments.dump(), sum_of_original);
  EXPECT_FALSE(state_only.damage) << "the firing state is not covered by the checksum";
}
WebhookRecord make_webhook(std::string hash, std::string run_id) {
  return {std::move(hash), std::move(run_id), 2, "a2/webhook-3", true, false, 4096, at(7'000'000)};
}

TEST_P(StoreConformance, WebhooksAreFoundByTheirHashAndAnInsertAgainKeepsTheFirst) {
  write([&](StoreTransaction& t) {
    t.insert_run(make_run("r"));
    t.insert_webhook(make_webhook("hash-1", "r"));
    auto multi = make_webhook("hash-2", "r");
    multi.single_use = false;
    multi.max_body_bytes = 10;
    t.insert_webhook(multi);
  });
  auto found = store_->read()->find_webhook("hash-1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->token_hash, "hash-1");
  EXPECT_EQ(found->run_id, "r");
  EXPECT_EQ(found->attempt, 2);
  EXPECT_EQ(found->correlation_id, "a2/webhook-3");
  EXPECT_TRUE(found->single_use);
  EXPECT_FALSE(found->used);
  EXPECT_EQ(found->max_body_bytes, 4096);
  EXPECT_EQ(found->created_at, at(7'000'000));
  EXPECT_FALSE(store_->read()->find_webhook("hash-3"));

  write([&](StoreTransaction& t) { t.mark_webhook_used("hash-1"); });
  // A replay writing the webhook's event again writes its row again: the used flag must stay.
  write([&](StoreTransaction& t) { t.insert_webhook(make_webhook("hash-1", "other")); });
  found = store_->read()->find_webhook("hash-1");
  ASSERT_TRUE(found);
  EXPECT_TRUE(found->used);
  EXPECT_EQ(found->run_id, "r");
  auto multi = store_->read()->find_webhook("hash-2");
  ASSERT_TRUE(multi);
  EXPECT_FALSE(multi->single_use);
  EXPECT_FALSE(multi->used);
  EXPECT_EQ(multi->max_body_bytes, 10);
}

TEST_P(StoreConformance, ADeliveryWaitsForAnotherHoldingTheWebhookAndSeesItUsed) {
  write([&](StoreTransaction& t) {
    t.insert_run(make_run("r"));
    t.insert_webhook(make_webhook("hash", "r"));
  });
  auto other = open_another();
  auto b = other->write();
  auto seen_by_b = b->find_webhook("hash");
  ASSERT_TRUE(seen_by_b);
  ASSERT_FALSE(seen_by_b->used);

  std::atomic<bool> a_done{false};
  std::optional<WebhookRecord> seen_by_a;
  std::string a_error;
  std::thread a([&] {
    try {
      auto transaction = store_->write();
      seen_by_a = transaction->find_webhook("hash");
      if (seen_by_a && !seen_by_a->used) transaction->mark_webhook_used("hash");  // a second delivery
      transaction->commit();
    } catch (const std::exception& error) {
      a_error = error.what();
    }
    a_done = true;
  });
  std::this_thread::sleep_for(300ms);
  EXPECT_FALSE(a_done) << "the second delivery did not wait for the first";
  b->mark_webhook_used("hash");
  b->commit();
  a.join();
  ASSERT_EQ(a_error, "");
  ASSERT_TRUE(seen_by_a);
  EXPECT_TRUE(seen_by_a->used);
}


// Queues (docs/queues.md): a waiting run has no ready_at; its entry orders it, a dequeue gives it
// to its claimer, and the run's end (whichever build writes it) frees its slot and its
// deduplication ID.
RunRecord make_queued_run(std::string id) {
  auto run = make_run(std::move(id));
  run.ready_at.reset();
  return run;
}

QueueEntry make_entry(std::string run_id, std::int64_t priority, std::string key = {}, std::string dedup = {}) {
  return {std::move(run_id), "q", priority, std::move(key), std::move(dedup), at(1'000'000)};
}

TEST_P(StoreConformance, QueueEntriesWaitInPriorityOrderAndFreeTheirSlotWhenTheRunEnds) {
  write([&](StoreTransaction& t) {
    t.declare_queue({"q", 2, 1, 5, 1s, 1, at(1)});
    for (auto [id, priority, key] : {std::tuple{"a", 2, "k1"}, {"b", 1, "k1"}, {"c", 2, "k2"}}) {
      t.insert_run(make_queued_run(id));
      ASSERT_TRUE(t.insert_queue_entry(make_entry(id, priority, key)));
    }
  });
  {
    auto read = store_->read();
    auto queue = read->lock_queue("q");
    ASSERT_TRUE(queue);
    EXPECT_EQ((std::vector<std::int64_t>{queue->concurrency, queue->worker_concurrency, queue->rate_limit,
                                         queue->partition_concurrency}),
              (std::vector<std::int64_t>{2, 1, 5, 1}));
    EXPECT_EQ(queue->rate_period, 1s);
    EXPECT_EQ(read->queue_entry("b")->position, 1);
    EXPECT_EQ(read->queue_entry("a")->position, 2);
    EXPECT_EQ(read->queue_entry("c")->position, 3);
    EXPECT_EQ(read->queues_with_waiting({"workflow//./w//a"}, "dep-1"), std::vector<std::string>{"q"});
    EXPECT_TRUE(read->queues_with_waiting({"workflow//./w//other"}, "dep-1").empty());
  }
  write([&](StoreTransaction& t) { EXPECT_TRUE(t.claim_due_runs(claim_for("w")).empty()) << "a waiting run is not due"; });
  write([&](StoreTransaction& t) {
    ASSERT_TRUE(t.lock_queue("q"));
    std::vector<std::string> order;
    for (auto& entry : t.waiting_entries("q", {"workflow//./w//a"}, "dep-1", 10)) order.push_back(entry.run_id);
    EXPECT_EQ(order, (std::vector<std::string>{"b", "a", "c"}));
    auto run = t.dequeue_run("b", "w", at(60'000'000), at(3'000'000));
    EXPECT_EQ(run.owner, "w");
    EXPECT_EQ(run.ready_at, at(3'000'000));
  });
  auto load = store_->read()->queue_load("q", "w", at(2'500'000));
  EXPECT_EQ(store_->read()->count_waiting("q"), 2);
  EXPECT_EQ(std::tie(load.active, load.held, load.dequeued_since),
            (std::tuple<std::int64_t, std::int64_t, std::int64_t>{1, 1, 1}));
  EXPECT_EQ(load.earliest_since, at(3'000'000));
  EXPECT_EQ(load.active_by_partition, (std::map<std::string, std::int64_t>{{"k1", 1}}));
  EXPECT_EQ(store_->read()->queue_load("q", "w", at(3'000'001)).dequeued_since, 0);
  EXPECT_FALSE(store_->read()->queue_entry("b")->position) << "a dequeued run has no position";

  write([&](StoreTransaction& t) {
    auto run = t.find_run("b");
    mark_final(*run, RunStatus::completed, at(4'000'000));
    t.update_run(*run);
  });
  load = store_->read()->queue_load("q", "w", at(2'500'000));
  EXPECT_EQ(std::tie(load.active, load.held, load.dequeued_since), (std::tuple<std::int64_t, std::int64_t, std::int64_t>{0, 0, 1}))
      << "an ended run frees its slot; its dequeue still counts for the rate";
  EXPECT_TRUE(store_->read()->queue_entry("b")->done);
}

TEST_P(StoreConformance, ADeduplicationIdIsHeldByOneUnfinishedEntryPerQueue) {
  write([&](StoreTransaction& t) {
    t.declare_queue({"q", 0, 0, 0, {}, 0, at(1)});
    t.insert_run(make_queued_run("first"));
    ASSERT_TRUE(t.insert_queue_entry(make_entry("first", 0, "", "d")));
  });
  auto other = open_another();
  write(*other, [&](StoreTransaction& t) {
    EXPECT_EQ(t.unfinished_duplicate("q", "d"), "first");
    EXPECT_FALSE(t.unfinished_duplicate("q", "e"));
    t.insert_run(make_queued_run("second"));
    EXPECT_FALSE(t.insert_queue_entry(make_entry("second", 0, "", "d"))) << "the ID is held";
    auto elsewhere = make_entry("second", 0, "", "d");
    elsewhere.queue = "other";
    EXPECT_TRUE(t.insert_queue_entry(elsewhere)) << "IDs are per queue";
  });
  write([&](StoreTransaction& t) {
    auto run = t.find_run("first");
    mark_final(*run, RunStatus::cancelled, at(2'000'000));
    t.update_run(*run);
  });
  write([&](StoreTransaction& t) {
    EXPECT_FALSE(t.unfinished_duplicate("q", "d"));
    t.insert_run(make_queued_run("third"));
    EXPECT_TRUE(t.insert_queue_entry(make_entry("third", 0, "", "d"))) << "free again once its run ended";
  });
}

TEST_P(StoreConformance, ADequeuedRunOfAPerWorkerLimitedQueueIsClaimedOnlyByItsQueue) {
  write([&](StoreTransaction& t) {
    t.declare_queue({"q", 0, 1, 0, {}, 0, at(1)});
    t.declare_queue({"free", 0, 0, 0, {}, 0, at(1)});
    for (auto [id, queue] : {std::pair{"limited", "q"}, {"unlimited", "free"}}) {
      t.insert_run(make_queued_run(id));
      auto entry = make_entry(id, 0);
      entry.queue = queue;
      t.insert_queue_entry(entry);
      ASSERT_TRUE(t.lock_queue(queue));
      t.dequeue_run(id, "gone", at(2'000'000), at(2'000'000));  // its lease ran out at 2 s
    }
  });
  write([&](StoreTransaction& t) {
    EXPECT_EQ(ids_of(t.claim_due_runs(claim_for("w"))), std::vector<std::string>{"unlimited"});
    auto request = claim_for("w");
    request.queue = "q";
    EXPECT_EQ(ids_of(t.claim_due_runs(request)), std::vector<std::string>{"limited"});
  });
}

TEST_P(StoreConformance, ALockedQueueMakesAnotherDequeuerWait) {
  write([&](StoreTransaction& t) { t.declare_queue({"q", 1, 0, 0, {}, 0, at(1)}); });
  auto other = open_another();
  auto holder = other->write();
  ASSERT_TRUE(holder->lock_queue("q"));
  std::atomic<bool> locked{false};
  std::string error;
  std::thread second([&] {
    try {
      auto transaction = store_->write();
      transaction->lock_queue("q");
      locked = true;
      transaction->commit();
    } catch (const std::exception& e) {
      error = e.what();
    }
  });
  std::this_thread::sleep_for(300ms);
  EXPECT_FALSE(locked) << "the second dequeuer did not wait for the queue's lock";
  holder->commit();
  second.join();
  EXPECT_EQ(error, "");
  EXPECT_TRUE(locked);
}

// --- retention (docs/retention.md) ---

/// A run that ended in `status` at `ended` seconds, below `parent` if given.
RunRecord ended_run(std::string id, RunStatus status, Micros ended, std::string parent = {}) {
  auto run = make_run(std::move(id));
  mark_final(run, status, at(ended * 1'000'000));
  run.parent_run_id = std::move(parent);
  return run;
}

TEST_P(StoreConformance, PruneRootsAreEndedUnkeptParentlessRunsOldestEndedFirst) {
  write([&](StoreTransaction& t) {
    t.insert_run(ended_run("a", RunStatus::completed, 10));
    t.insert_run(ended_run("b", RunStatus::failed, 5));
    t.insert_run(ended_run("c", RunStatus::cancelled, 20));
    t.insert_run(make_run("running"));
    t.insert_run(ended_run("late", RunStatus::completed, 50));
    t.insert_run(ended_run("kept", RunStatus::completed, 8));
    t.set_kept("kept", true, at(1));
    t.insert_run(ended_run("child-of-a", RunStatus::completed, 9, "a"));
    t.insert_run(ended_run("orphan", RunStatus::completed, 12, "gone"));
  });
  auto read = store_->read();
  PruneSelection before_30{at(30'000'000), {}};
  EXPECT_EQ(read->prune_roots(before_30, 10), (std::vector<std::string>{"b", "a", "orphan", "c"}));
  EXPECT_EQ(read->prune_roots(before_30, 2), (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(read->prune_roots({at(30'000'000), {RunStatus::failed, RunStatus::cancelled}}, 10),
            (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(read->prune_roots({at(10'000'000), {}}, 10), (std::vector<std::string>{"b"})) << "the cut-off is exclusive";
  EXPECT_TRUE(read->kept("kept"));
  EXPECT_FALSE(read->kept("a"));
}

TEST_P(StoreConformance, DeletingARunTakesEverythingRecordedAboutIt) {
  write([&](StoreTransaction& t) {
    t.declare_queue({"q", 1, 0, 0, 0s, 0, at(1)});
    for (std::string id : {"doomed", "other"}) {
      t.insert_run(ended_run(id, RunStatus::completed, 10));
      t.append_event(make_event(id, EventType::run_created));
      t.append_event(make_event(id, EventType::step_completed, "step-1", 1));
      t.append_stream_chunk(id, "log", "k1", "\"one\"", at(1));
      t.append_stream_chunk(id, "log", "k2", "\"two\"", at(2));
      t.close_stream(id, "log");
      t.insert_webhook(make_webhook("hash-" + id, id));
      ASSERT_TRUE(t.insert_queue_entry({id, "q", 0, "", "dedup-" + id, at(1)}));
      t.mark_detached(id);
      t.set_kept(id, true, at(1));
    }
  });
  PruneCounts counts;
  write([&](StoreTransaction& t) { counts = t.delete_runs({"doomed"}); });
  EXPECT_EQ(counts.runs, 1);
  EXPECT_EQ(counts.events, 2);
  EXPECT_EQ(counts.stream_chunks, 2);
  auto read = store_->read();
  EXPECT_FALSE(read->find_run("doomed"));
  EXPECT_TRUE(read->events("doomed").empty());
  EXPECT_TRUE(read->streams("doomed").empty());
  EXPECT_EQ(read->read_stream("doomed", "log", 0, 10).state.length, 0);
  EXPECT_FALSE(read->find_webhook("hash-doomed"));
  EXPECT_FALSE(read->queue_entry("doomed"));
  EXPECT_FALSE(read->kept("doomed"));
  // The other run's records are all there.
  EXPECT_TRUE(read->find_run("other"));
  EXPECT_EQ(read->events("other").size(), 2u);
  EXPECT_EQ(read->read_stream("other", "log", 0, 10).chunks.size(), 2u);
  EXPECT_TRUE(read->find_webhook("hash-other"));
  EXPECT_TRUE(read->queue_entry("other"));
  EXPECT_TRUE(read->kept("other"));
}

// r ─┬─ c1 ── g1            pruned with r
//    ├─ c2 (running) ── g2  stays: a run still running keeps what is below it
//    └─ c3 (kept) ── g3     stays: kept
TEST_P(StoreConformance, APruneBatchTakesEndedDescendantsAndLeavesRunningAndKeptOnes) {
  write([&](StoreTransaction& t) {
    t.insert_run(ended_run("r", RunStatus::completed, 10));
    t.insert_run(ended_run("c1", RunStatus::failed, 9, "r"));
    t.insert_run(ended_run("g1", RunStatus::completed, 8, "c1"));
    auto running = make_run("c2");
    running.parent_run_id = "r";
    t.insert_run(running);
    t.insert_run(ended_run("g2", RunStatus::completed, 8, "c2"));
    t.insert_run(ended_run("c3", RunStatus::completed, 9, "r"));
    t.set_kept("c3", true, at(1));
    t.insert_run(ended_run("g3", RunStatus::completed, 8, "c3"));
    for (std::string id : {"r", "c1", "g1"}) t.append_event(make_event(id, EventType::run_completed));
  });
  // Only completed runs are named; r's descendants go with it whatever their status (c1 failed).
  PruneSelection selection{at(30'000'000), {RunStatus::completed}};
  auto expected = store_->read()->count_prunable(selection);
  EXPECT_EQ(expected.runs, 3);
  EXPECT_EQ(expected.events, 3);
  PruneCounts deleted;
  write([&](StoreTransaction& t) { deleted = JournalPruner::prune_batch(t, selection, 100); });
  EXPECT_EQ(deleted.runs, 3);
  EXPECT_EQ(deleted.events, 3);
  auto read = store_->read();
  for (std::string id : {"r", "c1", "g1"}) EXPECT_FALSE(read->find_run(id)) << id;
  for (std::string id : {"c2", "g2", "c3", "g3"}) EXPECT_TRUE(read->find_run(id)) << id;
  EXPECT_TRUE(read->prune_roots(selection, 10).empty()) << "c2 runs, c3 is kept, g2 and g3 have parents";
  EXPECT_EQ(read->count_prunable(selection).runs, 0);
}

RunFilter every_run() {
  RunFilter filter;
  filter.limit = 1000;
  return filter;
}

TEST_P(StoreConformance, BatchesStopInsideALargeTreeWithoutOrphaningAnyRun) {
  // One root, 5 children, 2 grandchildren each: 16 runs, pruned 3 at a time.
  write([&](StoreTransaction& t) {
    t.insert_run(ended_run("root", RunStatus::completed, 10));
    for (int c = 0; c < 5; ++c) {
      auto child = "c" + std::to_string(c);
      t.insert_run(ended_run(child, RunStatus::completed, 9, "root"));
      for (int g = 0; g < 2; ++g) t.insert_run(ended_run(child + "-g" + std::to_string(g), RunStatus::completed, 8, child));
    }
    t.insert_run(ended_run("next", RunStatus::completed, 11));
  });
  PruneSelection selection{at(30'000'000), {}};
  EXPECT_EQ(store_->read()->count_prunable(selection).runs, 17);
  std::int64_t total = 0;
  int batches = 0;
  while (true) {
    PruneCounts deleted;
    write([&](StoreTransaction& t) { deleted = JournalPruner::prune_batch(t, selection, 3); });
    if (deleted.runs == 0) break;
    EXPECT_LE(deleted.runs, 3);
    total += deleted.runs;
    ++batches;
    ASSERT_LT(batches, 20);
    // No run left behind whose parent went before it.
    for (const auto& run : store_->read()->list_runs(every_run()))
      if (!run.parent_run_id.empty()) EXPECT_TRUE(store_->read()->find_run(run.parent_run_id)) << run.id;
  }
  EXPECT_EQ(total, 17);
  EXPECT_EQ(batches, 6);
  EXPECT_TRUE(store_->read()->list_runs(every_run()).empty());
}

TEST_P(StoreConformance, JournalSizeIsReportedWithFreedPagesWhereTheStoreKnowsThem) {
  auto empty = store_->read()->journal_size();
  EXPECT_GT(empty.bytes, 0);
  std::vector<std::string> ids;
  write([&](StoreTransaction& t) {
    for (int i = 0; i < 400; ++i) {
      ids.push_back("r" + std::to_string(i));
      t.insert_run(ended_run(ids.back(), RunStatus::completed, 10));
      auto event = make_event(ids.back(), EventType::run_completed);
      // Digits that do not repeat: PostgreSQL would compress a run of one character to nothing.
      std::string padding;
      for (std::uint32_t state = 2654435761u * static_cast<std::uint32_t>(i + 1); padding.size() < 2000;)
        padding += static_cast<char>('a' + (state = state * 1664525u + 1013904223u) % 26);
      event.data = {{"padding", padding}};
      t.append_event(event);
    }
  });
  auto full = store_->read()->journal_size();
  EXPECT_GT(full.bytes, empty.bytes + 400 * 2000);
  write([&](StoreTransaction& t) { t.delete_runs(ids); });
  auto pruned = store_->read()->journal_size();
  if (GetParam().name == "sqlite") {
    ASSERT_TRUE(pruned.free_bytes);
    EXPECT_GT(*pruned.free_bytes, 400 * 2000) << "the deleted records' pages are free for reuse";
  } else {
    EXPECT_FALSE(pruned.free_bytes);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Backends, StoreConformance,
    ::testing::Values(
        Backend{"sqlite", [](const std::filesystem::path& dir) { return (dir / "journal.db").string(); }},
        Backend{"postgresql", [](const std::filesystem::path&) { return workflow::test_support::fresh_postgresql_journal(); }}),
    [](const ::testing::TestParamInfo<Backend>& info) { return info.param.name; });

}  // namespace
}  // namespace workflow::detail
