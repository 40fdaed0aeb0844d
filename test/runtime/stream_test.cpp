// Streams: get_writable in steps and workflow bodies, Run::get_readable from outside. Readers get
// the chunks written so far, then tail new ones until the stream is closed or the run ends;
// negative start indexes count from the end; retries, replays and restarts write no chunk twice.
#include "test_support.hpp"

#include <algorithm>
#include <set>
#include <thread>

namespace {
using workflow::Json;

std::atomic<bool> g_release{false};
std::atomic<int> g_progress_attempts{0};

// Writes three lines, waits for the test to let it go on, writes two more.
int report_progress(int total) {
  ++g_progress_attempts;
  auto progress = workflow::get_writable("progress");
  for (int i = 0; i < 3; ++i) progress.write("line " + std::to_string(i));
  progress.flush();
  while (!g_release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  // A second writer of the same namespace in the same step continues the numbering.
  auto again = workflow::get_writable("progress");
  for (int i = 3; i < total; ++i) again.write("line " + std::to_string(i));
  return total;
}
REGISTER_STEP(report_progress);

int progress_workflow(int total) {
  WORKFLOW_ENTRY(progress_workflow);
  return CALL_STEP(report_progress, total);
}
REGISTER_WORKFLOW(progress_workflow);

// Fails twice after writing, so retries rewrite the same chunks.
std::atomic<int> g_flaky_attempts{0};
int flaky_writer() {
  auto out = workflow::get_writable("out");
  out.write(Json{{"attempt", g_flaky_attempts.load()}});
  out.write("second");
  if (++g_flaky_attempts < 3) throw std::runtime_error("not yet");
  out.write("third");
  return 0;
}
REGISTER_STEP(flaky_writer);
}  // namespace
WORKFLOW_STEP_OPTIONS(flaky_writer, {.max_retries = 5, .initial_delay = std::chrono::milliseconds(1)});
namespace {

int flaky_workflow() {
  WORKFLOW_ENTRY(flaky_workflow);
  return CALL_STEP(flaky_writer);
}
REGISTER_WORKFLOW(flaky_workflow);

// Writes from the body around a sleep: the body is replayed after the sleep and writes its first
// chunks again; they must not be appended twice.
std::string body_writer() {
  WORKFLOW_ENTRY(body_writer);
  auto log = workflow::get_writable("log");
  log.write("before sleep");
  workflow::sleep(std::chrono::milliseconds(30));
  log.write("after sleep");
  auto other = workflow::get_writable("other");
  other.write(1);
  other.close();
  return "done";
}
REGISTER_WORKFLOW(body_writer);

std::string writes_after_close() {
  WORKFLOW_ENTRY(writes_after_close);
  auto log = workflow::get_writable("log");
  log.close();
  try {
    log.write("too late");
  } catch (const workflow::InvalidTransitionError& error) {
    return error.what();
  }
  return "no error";
}
REGISTER_WORKFLOW(writes_after_close);

std::string waits_for_go() {
  WORKFLOW_ENTRY(waits_for_go);
  auto log = workflow::get_writable("log");
  log.write("waiting");
  return workflow::wait_for_event<std::string>("go");
}
REGISTER_WORKFLOW(waits_for_go);

// Both branches share one writer: every chunk must get its own key.
std::string shared_writer() {
  WORKFLOW_ENTRY(shared_writer);
  auto log = workflow::get_writable("log");
  auto write_many = [&] {
    for (int i = 0; i < 2000; ++i) log.write(i);
    return 0;
  };
  workflow::parallel(write_many, write_many);
  return "done";
}
REGISTER_WORKFLOW(shared_writer);

std::atomic<bool> g_bad_chunk_seen{false};
int writes_invalid_utf8() {
  auto out = workflow::get_writable("out");
  out.write("fine");
  try {
    out.write(std::string("\xff\xfe"));
  } catch (const std::invalid_argument& error) {
    g_bad_chunk_seen = std::string(error.what()).find("stream 'out'") != std::string::npos;
    throw;
  }
  return 0;
}
REGISTER_STEP(writes_invalid_utf8);
}  // namespace
WORKFLOW_STEP_OPTIONS(writes_invalid_utf8, {.max_retries = 0});
namespace {

int bad_chunk_workflow() {
  WORKFLOW_ENTRY(bad_chunk_workflow);
  return CALL_STEP(writes_invalid_utf8);
}
REGISTER_WORKFLOW(bad_chunk_workflow);

// Writes, then blocks until released, then writes again: a restart meanwhile replaces it.
std::atomic<int> g_restart_attempts{0};
std::atomic<bool> g_restart_release{false};
int restartable_step() {
  int attempt = ++g_restart_attempts;
  auto out = workflow::get_writable("out");
  out.write("attempt " + std::to_string(attempt) + " begins");
  while (attempt == 1 && !g_restart_release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  out.write("attempt " + std::to_string(attempt) + " ends");
  out.close();
  return attempt;
}
REGISTER_STEP(restartable_step);

int restartable_workflow() {
  WORKFLOW_ENTRY(restartable_workflow);
  return CALL_STEP(restartable_step);
}
REGISTER_WORKFLOW(restartable_workflow);

// Attempt 1 overruns its timeout, then closes the stream; what the retry and the next step write
// meanwhile must survive that.
std::atomic<int> g_timeout_attempts{0};
int overruns_then_closes() {
  int attempt = ++g_timeout_attempts;
  auto out = workflow::get_writable("out");
  out.write("attempt " + std::to_string(attempt));
  if (attempt == 1) {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));  // past the 50 ms timeout
    out.write("late");
    out.close();
  }
  return attempt;
}
REGISTER_STEP(overruns_then_closes);

int writes_later() {
  std::this_thread::sleep_for(std::chrono::milliseconds(250));  // attempt 1 closes meanwhile
  workflow::get_writable("out").write("next step");
  return 0;
}
REGISTER_STEP(writes_later);
}  // namespace
WORKFLOW_STEP_OPTIONS(overruns_then_closes,
                      {.max_retries = 2, .initial_delay = std::chrono::milliseconds(1),
                       .timeout = std::chrono::milliseconds(50)});
namespace {

int timeout_workflow() {
  WORKFLOW_ENTRY(timeout_workflow);
  int attempt = CALL_STEP(overruns_then_closes);
  CALL_STEP(writes_later);
  return attempt;
}
REGISTER_WORKFLOW(timeout_workflow);

// Overruns its timeout and writes on until the test has shut the engine down, and after: the
// abandoned attempt must use nothing of that engine (TSan reported its writes racing the engine's
// destruction; ASan would report a chunk queued on the destroyed write queue).
std::atomic<bool> g_engine_shut_down{false};
std::atomic<bool> g_outliving_attempt_ended{false};
int outlives_the_engine() {
  auto out = workflow::get_writable("out");
  out.write("before the timeout");
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!g_engine_shut_down && std::chrono::steady_clock::now() < give_up) {
    out.write("late");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  for (int i = 0; i < 100; ++i) out.write("after the shutdown");
  out.close();
  g_outliving_attempt_ended = true;
  return 0;
}
REGISTER_STEP(outlives_the_engine);
}  // namespace
WORKFLOW_STEP_OPTIONS(outlives_the_engine, {.max_retries = 0, .timeout = std::chrono::milliseconds(50)});
namespace {

int outliving_step_workflow() {
  WORKFLOW_ENTRY(outliving_step_workflow);
  return CALL_STEP(outlives_the_engine);
}
REGISTER_WORKFLOW(outliving_step_workflow);

// One body writer used by two branches whose interleaving differs between executions, then a
// sleep: the replay must number each branch's chunks as the first execution did.
std::atomic<int> g_interleaving{0};
std::string branches_share_body_writer() {
  WORKFLOW_ENTRY(branches_share_body_writer);
  auto log = workflow::get_writable("log");
  bool a_first = g_interleaving++ % 2 == 0;
  auto branch = [&](const char* name, bool first) {
    if (!first) std::this_thread::sleep_for(std::chrono::milliseconds(30));
    log.write(std::string(name) + "0");
    return 0;
  };
  workflow::parallel([&] { return branch("a", a_first); }, [&] { return branch("b", !a_first); });
  workflow::sleep(std::chrono::milliseconds(20));
  log.write("end");
  return "done";
}
REGISTER_WORKFLOW(branches_share_body_writer);

std::vector<Json> read_all(workflow::StreamReader reader) {
  std::vector<Json> chunks;
  for (const Json& chunk : reader) chunks.push_back(chunk);
  return chunks;
}

class StreamTest : public workflow::test_support::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    g_release = false;
    g_progress_attempts = 0;
    g_flaky_attempts = 0;
  }
};

TEST_F(StreamTest, AReaderGetsExistingChunksThenTailsNewOnesUntilTheRunEnds) {
  auto run = workflow::start(progress_workflow, 5);
  auto reader = run.get_readable({.name_space = "progress"});
  // The first three are written while the step is still blocked: the reader sees them live.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(reader.next(std::chrono::seconds(5)), Json("line " + std::to_string(i)));
  EXPECT_THROW(reader.next(std::chrono::milliseconds(50)), workflow::TimeoutError);
  EXPECT_EQ(run.status(), workflow::RunStatus::running);
  g_release = true;
  EXPECT_EQ(reader.next(), Json("line 3"));
  EXPECT_EQ(reader.next(), Json("line 4"));
  EXPECT_EQ(reader.next(), std::nullopt);  // closed with the run
  EXPECT_EQ(reader.position(), 5);
  EXPECT_EQ(run.return_value(), 5);
  auto streams = run.streams();
  ASSERT_EQ(streams.size(), 1u);
  EXPECT_EQ(streams[0].name_space, "progress");
  EXPECT_EQ(streams[0].length, 5);
  EXPECT_TRUE(streams[0].closed);
}

TEST_F(StreamTest, ANegativeStartIndexCountsFromTheEnd) {
  g_release = true;
  auto run = workflow::start(progress_workflow, 6);
  run.return_value();
  EXPECT_EQ(read_all(run.get_readable({.name_space = "progress", .start_index = -2})),
            (std::vector<Json>{"line 4", "line 5"}));
  EXPECT_EQ(read_all(run.get_readable({.name_space = "progress", .start_index = 4})),
            (std::vector<Json>{"line 4", "line 5"}));
  EXPECT_EQ(read_all(run.get_readable({.name_space = "progress", .start_index = -100})).size(), 6u);
  EXPECT_TRUE(read_all(run.get_readable({.name_space = "progress", .start_index = 6})).empty());
}

TEST_F(StreamTest, ARetriedStepWritesNoChunkTwice) {
  auto run = workflow::start(flaky_workflow);
  run.return_value();
  EXPECT_EQ(g_flaky_attempts.load(), 3);
  // The first attempt's version of each chunk wins; the retries' rewrites are no-ops.
  EXPECT_EQ(read_all(run.get_readable({.name_space = "out"})),
            (std::vector<Json>{Json{{"attempt", 0}}, "second", "third"}));
}

TEST_F(StreamTest, AReplayedBodyWritesNoChunkTwiceAndCloseEndsTheReader) {
  auto run = workflow::start(body_writer);
  EXPECT_EQ(run.return_value(), "done");
  EXPECT_EQ(read_all(run.get_readable({.name_space = "log"})), (std::vector<Json>{"before sleep", "after sleep"}));
  EXPECT_EQ(read_all(run.get_readable({.name_space = "other"})), (std::vector<Json>{1}));
  auto streams = run.streams();
  ASSERT_EQ(streams.size(), 2u);
  EXPECT_EQ(streams[0].name_space, "log");
  EXPECT_EQ(streams[1].name_space, "other");
}

TEST_F(StreamTest, AClosedStreamEndsItsReaderWhileTheRunGoesOn) {
  auto run = workflow::start(waits_for_go);
  wait_for_status(run, workflow::RunStatus::waiting);
  // "log" is open and the run waits: a reader times out rather than ending.
  auto reader = run.get_readable({.name_space = "log"});
  EXPECT_EQ(reader.next(std::chrono::seconds(5)), Json("waiting"));
  EXPECT_THROW(reader.next(std::chrono::milliseconds(30)), workflow::TimeoutError);
  run.send_event("go", std::string("went"));
  EXPECT_EQ(run.return_value(), "went");
  EXPECT_EQ(reader.next(std::chrono::seconds(5)), std::nullopt);
}

TEST_F(StreamTest, WritingAfterCloseThrowsNamingTheRunAndStream) {
  auto run = workflow::start(writes_after_close);
  auto message = run.return_value();
  EXPECT_NE(message.find("run " + run.run_id()), std::string::npos) << message;
  EXPECT_NE(message.find("stream 'log' is closed"), std::string::npos) << message;
}

TEST_F(StreamTest, ARestartedRunWritesItsStreamAgainAfterTheOldChunks) {
  g_release = true;
  auto run = workflow::start(progress_workflow, 4);
  run.return_value();
  run.restart();
  auto reader = run.get_readable({.name_space = "progress", .start_index = 2});
  EXPECT_EQ(read_all(std::move(reader)),
            (std::vector<Json>{"line 2", "line 3", "line 0", "line 1", "line 2", "line 3"}));
  EXPECT_EQ(g_progress_attempts.load(), 2);
}

TEST_F(StreamTest, ReadersOfUnknownRunsAndWritersOutsideRunsGetClearErrors) {
  EXPECT_THROW(workflow::get_run("wrun_nope").get_readable(), workflow::RunNotFoundError);
  EXPECT_THROW(workflow::get_writable("x"), workflow::NotInWorkflowError);
}

TEST_F(StreamTest, ParallelBranchesSharingAWriterLoseNoChunk) {
  auto run = workflow::start(shared_writer);
  EXPECT_EQ(run.return_value(), "done");
  EXPECT_EQ(read_all(run.get_readable({.name_space = "log"})).size(), 4000u);
}

TEST_F(StreamTest, AChunkThatIsNotJsonFailsTheWriteNotSilently) {
  auto run = workflow::start(bad_chunk_workflow);
  EXPECT_THROW(run.return_value(), workflow::RunFailedError);
  EXPECT_TRUE(g_bad_chunk_seen.load());
  EXPECT_EQ(read_all(run.get_readable({.name_space = "out"})), (std::vector<Json>{"fine"}));
}

TEST_F(StreamTest, ARestartWhileAStepStreamsFencesTheOldAttemptOff) {
  g_restart_attempts = 0;
  g_restart_release = false;
  auto run = workflow::start(restartable_workflow);
  auto reader = run.get_readable({.name_space = "out"});
  EXPECT_EQ(reader.next(std::chrono::seconds(5)), Json("attempt 1 begins"));
  // Same process: the scheduler claims the restarted run while attempt 1 still executes.
  run.restart();
  g_restart_release = true;
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), 2);
  // Attempt 1's last chunk and its close came after the restart: dropped, so attempt 2's
  // chunks are not lost to a closed stream.
  EXPECT_EQ(read_all(std::move(reader)), (std::vector<Json>{"attempt 2 begins", "attempt 2 ends"}));
  EXPECT_EQ(g_restart_attempts.load(), 2);
  int completions = 0;
  for (const auto& event : run.events()) completions += event.type == "run_completed";
  EXPECT_EQ(completions, 1);
}

TEST_F(StreamTest, ShutdownWhileAStepStreamsIsGraceful) {
  g_release = false;
  auto run = workflow::start(progress_workflow, 5);
  auto reader = run.get_readable({.name_space = "progress"});
  EXPECT_EQ(reader.next(std::chrono::seconds(5)), Json("line 0"));
  std::thread release([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    g_release = true;
  });
  workflow::shutdown();  // waits for the step, which then writes its last chunks
  release.join();
  start_engine();
  EXPECT_EQ(workflow::get_run(run.run_id()).return_value(std::chrono::seconds(10)), 5);
  EXPECT_EQ(read_all(workflow::get_run(run.run_id()).get_readable({.name_space = "progress"})).size(), 5u);
}

TEST_F(StreamTest, AnAttemptAbandonedAfterItsTimeoutCannotCloseTheRetrysStream) {
  g_timeout_attempts = 0;
  auto run = workflow::start(timeout_workflow);
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // attempt 1 has long finished
  EXPECT_EQ(read_all(run.get_readable({.name_space = "out"})),
            (std::vector<Json>{"attempt 1", "next step"}));  // the retry rewrote chunk 0: no-op
}

TEST_F(StreamTest, AnAttemptAbandonedAfterItsTimeoutUsesNothingOfTheEngineAfterAShutdown) {
  g_engine_shut_down = false;
  g_outliving_attempt_ended = false;
  auto run = workflow::start(outliving_step_workflow);
  EXPECT_THROW(run.return_value(std::chrono::seconds(10)), workflow::RunFailedError);
  workflow::shutdown();  // the attempt is still writing
  g_engine_shut_down = true;
  for (int i = 0; i < 2000 && !g_outliving_attempt_ended; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_TRUE(g_outliving_attempt_ended);
  start_engine();
  auto chunks = read_all(workflow::get_run(run.run_id()).get_readable({.name_space = "out"}));
  ASSERT_FALSE(chunks.empty());
  EXPECT_EQ(chunks.front(), "before the timeout");
  EXPECT_EQ(std::count(chunks.begin(), chunks.end(), Json("after the shutdown")), 0);
}

TEST_F(StreamTest, BranchesSharingABodyWriterReplayWithoutLossOrDuplicates) {
  g_interleaving = 0;
  auto run = workflow::start(branches_share_body_writer);
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), "done");
  auto chunks = read_all(run.get_readable({.name_space = "log"}));
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ((std::multiset<std::string>{chunks[0].get<std::string>(), chunks[1].get<std::string>()}),
            (std::multiset<std::string>{"a0", "b0"}));
  EXPECT_EQ(chunks[2], "end");
}

TEST_F(StreamTest, ChunksSurviveAnEngineRestart) {
  g_release = true;
  auto run = workflow::start(progress_workflow, 3);
  run.return_value();
  restart_engine();
  EXPECT_EQ(read_all(workflow::get_run(run.run_id()).get_readable({.name_space = "progress"})).size(), 3u);
}

}  // namespace
