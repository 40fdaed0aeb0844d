// Webhooks: create_webhook in a workflow, deliveries as `wf serve` makes them (deliver_webhook).
// A delivery resumes the run with the body as T; a multi-use webhook delivers in order; timeouts
// and bodies of the wrong shape throw in the workflow, naming the run and the webhook; a replay
// gets the same URL; the token is nowhere in the journal; a used token, a finished run, a
// restarted run's old token and a faked send_event deliver nothing.
#include "test_support.hpp"

#include "engine/webhook_secret.hpp"
#include "engine/webhook_token.hpp"
#include "store/journal_store.hpp"

#include <workflow/journal_copy.hpp>

#include <libpq-fe.h>
#include <sys/stat.h>

#include <fstream>
#include <mutex>
#include <sstream>

namespace {

using namespace std::chrono_literals;

struct HookApproval {
  std::string by;
  int level = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(HookApproval, by, level)

// The URLs the workflows handed out, by run, each once: what an external system would have
// received. Noted by the body, not by a step, whose arguments the journal would record.
std::mutex g_urls_mutex;
std::map<std::string, std::vector<std::string>> g_urls;

void note_url(const std::string& run_id, const std::string& url) {
  std::lock_guard lock(g_urls_mutex);
  auto& urls = g_urls[run_id];
  if (std::find(urls.begin(), urls.end(), url) == urls.end()) urls.push_back(url);
}

// What a user's step that emails the URL does. It takes the Webhook, which is journaled without
// its token, and derives the URL again.
int hook_send_link(workflow::Webhook<HookApproval> hook) {
  note_url(hook.run_id(), hook.url());
  return 0;
}
REGISTER_STEP(hook_send_link);

std::string hook_await_approval() {
  WORKFLOW_ENTRY(hook_await_approval);
  auto hook = workflow::create_webhook<HookApproval>();
  note_url(hook.run_id(), hook.url());
  CALL_STEP(hook_send_link, hook);
  auto approval = hook.wait();
  return approval.by + ":" + std::to_string(approval.level);
}
REGISTER_WORKFLOW(hook_await_approval);

std::string hook_collect_three() {
  WORKFLOW_ENTRY(hook_collect_three);
  auto hook = workflow::create_webhook<int>({.single_use = false, .max_body_bytes = 64});
  note_url(hook.run_id(), hook.url());
  std::string seen;
  for (int i = 0; i < 3; ++i) seen += std::to_string(hook.wait()) + ",";
  // Held open until the test has posted everything: an ended run's webhook refuses posts.
  workflow::wait_for_event<int>("posted");
  return seen;
}
REGISTER_WORKFLOW(hook_collect_three);

std::string hook_await_with_timeout() {
  WORKFLOW_ENTRY(hook_await_with_timeout);
  auto hook = workflow::create_webhook();
  try {
    hook.wait(150ms);
    return "delivered";
  } catch (const workflow::TimeoutError& error) {
    return std::string("timed out: ") + error.what();
  }
}
REGISTER_WORKFLOW(hook_await_with_timeout);

std::string hook_strict_body() {
  WORKFLOW_ENTRY(hook_strict_body);
  auto hook = workflow::create_webhook<HookApproval>({.single_use = false});
  note_url(hook.run_id(), hook.url());
  try {
    return hook.wait().by;
  } catch (const workflow::EventPayloadError& error) {
    return "retry after [" + std::string(error.what()) + "] -> " + hook.wait().by;
  }
}
REGISTER_WORKFLOW(hook_strict_body);

// The code as a new deployment might have it: with the flag set, the webhook is gone.
std::atomic<bool> g_without_webhook{false};
std::string maybe_webhook() {
  WORKFLOW_ENTRY(maybe_webhook);
  if (g_without_webhook) return workflow::wait_for_event<std::string>("instead");
  auto hook = workflow::create_webhook<std::string>();
  note_url(hook.run_id(), hook.url());
  return hook.wait();
}
REGISTER_WORKFLOW(maybe_webhook);

class WebhookTest : public workflow::test_support::EngineTest {
 protected:
  void SetUp() override {
    // PostgreSQL has no key file: its workers share a configured secret.
    if (workflow::test_support::test_backend() == "postgresql")
      setenv("WORKFLOW_WEBHOOK_SECRET", "a-test-secret-of-more-than-thirty-two-characters", 1);
    EngineTest::SetUp();
  }
  void TearDown() override {
    EngineTest::TearDown();
    unsetenv("WORKFLOW_WEBHOOK_SECRET");
  }

  /// The URLs `run` has published, once it has published `count`.
  std::vector<std::string> urls_of(const std::string& run_id, std::size_t count = 1) {
    for (int i = 0; i < 1000; ++i) {
      {
        std::lock_guard lock(g_urls_mutex);
        if (g_urls[run_id].size() >= count) return g_urls[run_id];
      }
      std::this_thread::sleep_for(5ms);
    }
    ADD_FAILURE() << "run " << run_id << " did not publish " << count << " webhook URLs";
    return {};
  }

  /// Every table of the journal as text: the SQLite files' bytes, or PostgreSQL's rows.
  std::string journal_contents() {
    auto database = database_path();
    if (workflow::test_support::test_backend() == "sqlite") {
      std::string all;
      for (const char* suffix : {"", "-wal"}) {
        std::ifstream in(database + suffix, std::ios::binary);
        std::stringstream bytes;
        bytes << in.rdbuf();
        all += bytes.str();
      }
      return all;
    }
    auto at = database.rfind("schema=");
    std::string schema = database.substr(at + 7);
    PGconn* connection = PQconnectdb(database.substr(0, at - 1).c_str());
    std::string all;
    for (const char* table : {"runs", "events", "webhooks", "streams", "stream_chunks", "workflows"}) {
      PGresult* result = PQexec(connection, ("SELECT t::text FROM " + schema + "." + table + " t").c_str());
      EXPECT_EQ(PQresultStatus(result), PGRES_TUPLES_OK) << PQerrorMessage(connection);
      for (int row = 0; row < PQntuples(result); ++row) all += PQgetvalue(result, row, 0);
      PQclear(result);
    }
    PQfinish(connection);
    return all;
  }
};

TEST_F(WebhookTest, APostResumesTheRunWithTheBodyAsT) {
  auto run = workflow::start(hook_await_approval);
  auto url = urls_of(run.run_id()).at(0);
  EXPECT_EQ(url.rfind("/hooks/", 0), 0u) << url;
  EXPECT_EQ(url.size(), 7u + 43u) << url;
  wait_for_status(run, workflow::RunStatus::waiting);
  EXPECT_EQ(workflow::webhook_body_limit(url), std::optional<std::size_t>(1 << 20));
  EXPECT_EQ(workflow::deliver_webhook(url, HookApproval{"ann", 3}), std::optional<std::string>(run.run_id()));
  EXPECT_EQ(run.return_value(10s), "ann:3");
}

TEST_F(WebhookTest, AUsedSingleUseTokenAndAFinishedRunDeliverNothingAndChangeNothing) {
  auto run = workflow::start(hook_await_approval);
  auto url = urls_of(run.run_id()).at(0);
  ASSERT_TRUE(workflow::deliver_webhook("https://example.com" + url, HookApproval{"ann", 1}));
  EXPECT_FALSE(workflow::webhook_body_limit(url));
  EXPECT_FALSE(workflow::deliver_webhook(url, HookApproval{"mallory", 9}));
  EXPECT_EQ(run.return_value(10s), "ann:1");
  auto events = run.events().size();
  EXPECT_FALSE(workflow::deliver_webhook(url, HookApproval{"mallory", 9}));
  auto after = run.events();
  EXPECT_EQ(after.size(), events);
  int inbox_entries = 0;
  for (const auto& event : after) {
    EXPECT_EQ(event.data.dump().find("mallory"), std::string::npos);
    inbox_entries += event.type == "event_received" && event.correlation_id.empty();
  }
  EXPECT_EQ(inbox_entries, 1);
}

TEST_F(WebhookTest, UnknownAndMalformedTokensDeliverNothing) {
  auto run = workflow::start(hook_await_approval);
  auto url = urls_of(run.run_id()).at(0);
  wait_for_status(run, workflow::RunStatus::waiting);
  auto token = url.substr(7);
  std::string wrong = token;
  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  auto events = run.events().size();
  for (const auto& bad : {wrong, token.substr(1), token + "x", std::string("/hooks/"), std::string("/other/") + token,
                          std::string("")}) {
    EXPECT_FALSE(workflow::webhook_body_limit(bad)) << bad;
    EXPECT_FALSE(workflow::deliver_webhook(bad, HookApproval{"mallory", 9})) << bad;
  }
  EXPECT_EQ(run.events().size(), events);
  EXPECT_EQ(run.status(), workflow::RunStatus::waiting);
  run.cancel();
  EXPECT_FALSE(workflow::deliver_webhook(token, HookApproval{"late", 1})) << "a cancelled run's webhook is gone";
}

TEST_F(WebhookTest, AMultiUseWebhookDeliversEveryPostInOrder) {
  auto run = workflow::start(hook_collect_three);
  auto url = urls_of(run.run_id()).at(0);
  for (int i = 1; i <= 4; ++i) ASSERT_TRUE(workflow::deliver_webhook(url, i)) << i;
  EXPECT_EQ(workflow::webhook_body_limit(url), std::optional<std::size_t>(64));
  run.send_event("posted", 0);
  EXPECT_EQ(run.return_value(10s), "1,2,3,");
}

TEST_F(WebhookTest, ATimeoutThrowsTimeoutErrorNamingTheRunAndTheWebhook) {
  auto run = workflow::start(hook_await_with_timeout);
  auto result = run.return_value(10s);
  EXPECT_NE(result.find("timed out: run " + run.run_id() + ": no POST to webhook webhook-1 arrived"),
            std::string::npos)
      << result;
}

TEST_F(WebhookTest, ABodyOfTheWrongShapeThrowsNamingTheRunAndTheWebhook) {
  auto run = workflow::start(hook_strict_body);
  auto url = urls_of(run.run_id()).at(0);
  ASSERT_TRUE(workflow::deliver_webhook(url, "just a string"));
  ASSERT_TRUE(workflow::deliver_webhook(url, HookApproval{"bob", 1}));
  auto result = run.return_value(10s);
  EXPECT_NE(result.find("run " + run.run_id() + ": the body POSTed to webhook webhook-1 does not convert to"),
            std::string::npos)
      << result;
  EXPECT_NE(result.find("-> bob"), std::string::npos) << result;
}

TEST_F(WebhookTest, AReplayAfterARestartGivesTheSameUrlAndTheTokenIsNotInTheJournal) {
  auto run = workflow::start(hook_await_approval);
  auto url = urls_of(run.run_id()).at(0);
  wait_for_status(run, workflow::RunStatus::waiting);
  restart_engine();
  // The new engine replays the run once it is due; the webhook works meanwhile.
  ASSERT_TRUE(workflow::deliver_webhook(url, HookApproval{"cy", 2}));
  EXPECT_EQ(run.return_value(10s), "cy:2");
  // Each execution of the body noted the URL it got: the replay's was the first one.
  EXPECT_EQ(urls_of(run.run_id()), std::vector<std::string>{url}) << "the replay derived another URL";
  workflow::shutdown();  // the SQLite WAL is checkpointed into the file, or stays: both are read
  auto contents = journal_contents();
  auto token = url.substr(7);
  EXPECT_NE(contents.find("cy"), std::string::npos) << "the scan does not see the journal's contents";
  EXPECT_EQ(contents.find(token), std::string::npos) << "the token is stored in the journal";
  EXPECT_NE(contents.find("webhook_created"), std::string::npos);
  // A PostgreSQL row as text doubles the quotes inside it.
  EXPECT_TRUE(contents.find(R"("webhook":"webhook-1")") != std::string::npos ||
              contents.find(R"(""webhook"":""webhook-1"")") != std::string::npos)
      << "the step's argument is not in the journal as the webhook's call";
  start_engine();
}

TEST_F(WebhookTest, ARestartedRunGetsNewTokensAndItsOldOnesDeliverNothing) {
  auto run = workflow::start(hook_await_approval);
  auto old_url = urls_of(run.run_id()).at(0);
  wait_for_status(run, workflow::RunStatus::waiting);
  run.restart();
  auto new_url = urls_of(run.run_id(), 2).at(1);
  EXPECT_NE(new_url, old_url);
  EXPECT_FALSE(workflow::deliver_webhook(old_url, HookApproval{"old", 1}));
  ASSERT_TRUE(workflow::deliver_webhook(new_url, HookApproval{"new", 2}));
  EXPECT_EQ(run.return_value(10s), "new:2");
}

TEST_F(WebhookTest, SendEventCannotFakeADelivery) {
  auto run = workflow::start(hook_await_approval);
  urls_of(run.run_id());
  wait_for_status(run, workflow::RunStatus::waiting);
  try {
    run.send_event("$webhook/webhook-1", HookApproval{"mallory", 9});
    FAIL() << "send_event delivered to a webhook";
  } catch (const workflow::InvalidTransitionError& error) {
    EXPECT_NE(std::string(error.what()).find("reserved to webhooks"), std::string::npos) << error.what();
  }
  EXPECT_EQ(run.status(), workflow::RunStatus::waiting);
  run.cancel();
}

TEST_F(WebhookTest, AReplayCheckReplaysWebhooksAndReportsOneTheCodeNoLongerCreates) {
  g_without_webhook = false;
  auto finished = workflow::start(maybe_webhook);
  ASSERT_TRUE(workflow::deliver_webhook(urls_of(finished.run_id()).at(0), std::string("done")));
  EXPECT_EQ(finished.return_value(10s), "done");
  auto waiting = workflow::start(maybe_webhook);
  wait_for_status(waiting, workflow::RunStatus::waiting);
  auto report = workflow::check_replay(database_path(), {.run_ids = {finished.run_id(), waiting.run_id()}});
  ASSERT_EQ(report.runs.size(), 2u);
  for (const auto& result : report.runs) {
    EXPECT_EQ(result.verdict, workflow::ReplayResult::Verdict::compatible) << result.run_id << ": " << result.message;
    EXPECT_GE(result.calls_replayed, 1u) << result.run_id;
  }
  g_without_webhook = true;
  report = workflow::check_replay(database_path(), {.run_ids = {finished.run_id()}});
  g_without_webhook = false;
  ASSERT_EQ(report.runs.size(), 1u);
  EXPECT_EQ(report.runs[0].verdict, workflow::ReplayResult::Verdict::incompatible);
  ASSERT_TRUE(report.runs[0].divergence);
  EXPECT_EQ(report.runs[0].divergence->recorded, "a workflow::create_webhook call");
  waiting.cancel();
}

TEST_F(WebhookTest, ACopiedJournalKeepsTheWebhooksAsTheyAre) {
  auto used = workflow::start(hook_await_approval);
  auto used_url = urls_of(used.run_id()).at(0);
  ASSERT_TRUE(workflow::deliver_webhook(used_url, HookApproval{"ann", 1}));
  used.return_value(10s);
  auto waiting = workflow::start(hook_await_approval);
  auto waiting_url = urls_of(waiting.run_id()).at(0);
  wait_for_status(waiting, workflow::RunStatus::waiting);
  workflow::shutdown();
  auto target = workflow::test_support::fresh_journal(dir_.path() / "copy");
  std::filesystem::create_directories(dir_.path() / "copy");
  workflow::copy_journal(database_path(), target);
  auto copy = workflow::detail::open_journal_store(target, {});
  auto find = [&](const std::string& url) {
    return copy->read()->find_webhook(workflow::detail::webhook_token_hash(url.substr(7)));
  };
  ASSERT_TRUE(find(used_url));
  EXPECT_TRUE(find(used_url)->used);
  ASSERT_TRUE(find(waiting_url));
  EXPECT_FALSE(find(waiting_url)->used);
  EXPECT_EQ(find(waiting_url)->run_id, waiting.run_id());
  start_engine();
}

TEST_F(WebhookTest, SqliteKeyFileIsCreatedNextToTheJournalReadableByItsOwnerOnly) {
  if (workflow::test_support::test_backend() != "sqlite") GTEST_SKIP();
  auto run = workflow::start(hook_await_with_timeout);
  run.return_value(10s);
  struct stat status{};
  auto key_file = workflow::detail::webhook_key_file(database_path());
  ASSERT_EQ(stat(key_file.c_str(), &status), 0) << key_file;
  EXPECT_EQ(status.st_mode & 0777, 0600u);
}

TEST_F(WebhookTest, WithoutASecretOnPostgresqlCreateWebhookFailsNamingTheSetting) {
  if (workflow::test_support::test_backend() != "postgresql") GTEST_SKIP();
  workflow::shutdown();
  unsetenv("WORKFLOW_WEBHOOK_SECRET");
  start_engine();
  auto run = workflow::start(hook_await_with_timeout);
  try {
    run.return_value(10s);
    FAIL() << "a webhook was created without a secret";
  } catch (const workflow::RunFailedError& error) {
    std::string message = error.what();
    EXPECT_NE(message.find("run " + run.run_id()), std::string::npos) << message;
    EXPECT_NE(message.find("WORKFLOW_WEBHOOK_SECRET"), std::string::npos) << message;
  }
}

}  // namespace
