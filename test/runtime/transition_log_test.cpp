// The engine's log against its journal (docs/logging.md): at debug level every event a run's
// journal holds has exactly one line, in the journal's order, with the same step, attempt and
// error; a commit that failed logs nothing; the default level keeps to run transitions; and in
// JSON mode the runtime's own messages are JSON lines too.
#include "fault_injecting_store.hpp"
#include "test_support.hpp"

#include <sstream>

namespace {

std::atomic<int> g_log_flaky_failures{0};
int log_flaky(int x) {
  if (g_log_flaky_failures-- > 0) throw std::runtime_error("carrier \"A\"\nsays no");
  return x + 1;
}
REGISTER_STEP(log_flaky);

int log_expired(int) { throw workflow::FatalError("coupon expired"); }
REGISTER_STEP(log_expired);

int log_plain(int x) { return x * 2; }
REGISTER_STEP(log_plain);

}  // namespace
WORKFLOW_STEP_OPTIONS(log_flaky, {.max_retries = 3, .initial_delay = std::chrono::milliseconds(1)});
namespace {

// A step retried twice, a step that fails for good (caught), a sleep.
int log_story(int x) {
  WORKFLOW_ENTRY(log_story);
  int total = CALL_STEP(log_flaky, x);
  try {
    CALL_STEP(log_expired, x);
  } catch (const workflow::StepFailedError&) {
    total += 100;
  }
  workflow::sleep(std::chrono::milliseconds(1));
  return total;
}
REGISTER_WORKFLOW(log_story);

int log_steps(int count) {
  WORKFLOW_ENTRY(log_steps);
  int total = 0;
  for (int i = 1; i <= count; ++i) total += CALL_STEP(log_plain, i);
  return total;
}
REGISTER_WORKFLOW(log_steps);

using Json = nlohmann::json;

// The attempt an event records, if it records one.
std::optional<int> attempt_of(const workflow::RunEvent& event) {
  if (event.type == "step_started" || event.type == "step_retrying") return event.data.at("attempt").get<int>();
  if (event.type == "step_failed") return event.data.at("attempts").get<int>();
  return std::nullopt;
}

class TransitionLogTest : public workflow::test_support::FaultInjectedEngineTest {
 protected:
  void SetUp() override {
    g_log_flaky_failures = 0;
    FaultInjectedEngineTest::SetUp();
  }
  /// Configures the engine (started on first use) and captures stderr from now on.
  void start_logging(std::string level, std::string format, std::string metrics_address = {}) {
    auto configured = config();
    configured.log_level = std::move(level);
    configured.log_format = std::move(format);
    configured.metrics_address = std::move(metrics_address);
    workflow::configure(configured);
    testing::internal::CaptureStderr();
  }
  /// Stops the engine, so that every line is written, and returns what it wrote on stderr.
  std::vector<std::string> stop_and_take_lines() {
    workflow::shutdown();
    std::istringstream in(testing::internal::GetCapturedStderr());
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }
  /// Every line parsed as JSON (a line that is not fails the test); the events of `run_id`, but
  /// claims, which the journal keeps in the run's record.
  static std::vector<Json> json_lines_of(const std::vector<std::string>& lines, const std::string& run_id) {
    std::vector<Json> of_run;
    for (const auto& line : lines) {
      Json parsed;
      EXPECT_NO_THROW(parsed = Json::parse(line)) << "not a JSON line: " << line;
      if (!parsed.is_object()) continue;
      EXPECT_TRUE(parsed.contains("ts") && parsed.contains("level") && parsed.contains("msg")) << line;
      if (parsed.value("run_id", "") != run_id) continue;
      auto event = parsed.value("event", "");
      if (!event.empty() && event != "run_claimed" && event != "run_taken_over") of_run.push_back(parsed);
    }
    return of_run;
  }
  /// The log lines of the run tell its journal's events one for one, in order.
  static void expect_same_story(const std::vector<Json>& lines, const std::vector<workflow::RunEvent>& events,
                                const std::string& workflow_id) {
    ASSERT_EQ(lines.size(), events.size()) << [&] {
      std::string both = "journal:";
      for (const auto& event : events) both += " " + event.type + "/" + event.correlation_id;
      both += "\nlog:";
      for (const auto& line : lines) both += " " + line.value("event", "?") + "/" + line.value("correlation_id", "");
      return both;
    }();
    for (std::size_t i = 0; i < events.size(); ++i) {
      const auto& event = events[i];
      const auto& line = lines[i];
      SCOPED_TRACE(line.dump());
      EXPECT_EQ(line.value("event", ""), event.type);
      EXPECT_EQ(line.value("correlation_id", ""), event.correlation_id);
      EXPECT_EQ(line.value("step", ""), event.step_name);
      EXPECT_EQ(line.value("workflow", ""), workflow_id);
      EXPECT_EQ(line.value("run_attempt", 0), 1);
      if (auto attempt = attempt_of(event)) EXPECT_EQ(line.value("attempt", 0), *attempt);
      if (event.type == "step_retrying") EXPECT_EQ(line.value("error", ""), event.data.at("error").get<std::string>());
      if (event.type == "step_failed") EXPECT_EQ(line.value("error", ""), event.data.at("message").get<std::string>());
    }
  }
};

TEST_F(TransitionLogTest, AtDebugLevelTheLogTellsEveryEventOfTheJournalInItsOrder) {
  start_logging("debug", "json");
  g_log_flaky_failures = 2;
  auto run = workflow::start(log_story, 1);
  EXPECT_EQ(run.return_value(std::chrono::seconds(20)), 102);
  auto lines = stop_and_take_lines();
  auto events = run.events();
  auto of_run = json_lines_of(lines, run.run_id());
  expect_same_story(of_run, events, WF_ID(log_story));
  // What the story holds, in the terms an operator searches for.
  int retries = 0;
  for (const auto& line : of_run) {
    if (line["event"] == "step_retrying") {
      ++retries;
      EXPECT_EQ(line["level"], "warn");
      EXPECT_EQ(line["error"], "carrier \"A\"\nsays no");
      EXPECT_EQ(line["attempt"], retries);
      EXPECT_TRUE(line.contains("retry_at"));
    }
    if (line["event"] == "step_failed") {
      EXPECT_EQ(line["step"], STEP_ID(log_expired));
      EXPECT_EQ(line["fatal"], true);
    }
  }
  EXPECT_EQ(retries, 2);
  EXPECT_EQ(of_run.back()["event"], "run_completed");
}

TEST_F(TransitionLogTest, ACommitThatFailedLogsNothingOfWhatItCarried) {
  start_logging("debug", "json");
  faults_->only_step_results = true;
  faults_->fail_commit_in = 2;  // the second commit carrying a step result: step 2's
  auto run = workflow::start(log_steps, 4);
  EXPECT_EQ(run.return_value(std::chrono::seconds(20)), 20);
  auto lines = stop_and_take_lines();
  EXPECT_EQ(faults_->injected.load(), 1);
  // Step 2 ran twice; the journal holds its second run only, and so does the log.
  expect_same_story(json_lines_of(lines, run.run_id()), run.events(), WF_ID(log_steps));
}

TEST_F(TransitionLogTest, TheDefaultLevelLogsRunTransitionsNotEachStep) {
  start_logging("", "text");
  auto run = workflow::start(log_steps, 3);
  run.return_value(std::chrono::seconds(20));
  auto lines = stop_and_take_lines();
  std::vector<std::string> of_run;
  for (const auto& line : lines)
    if (line.find("run " + run.run_id() + " ") != std::string::npos) of_run.push_back(line);
  ASSERT_EQ(of_run.size(), 3u) << testing::PrintToString(lines);
  std::string tail = " workflow=" WF_ID(log_steps) " run_attempt=1";
  EXPECT_EQ(of_run[0].rfind("workflow: run " + run.run_id() + " created" + tail + " deployment=", 0), 0u) << of_run[0];
  EXPECT_EQ(of_run[1], "workflow: run " + run.run_id() + " started" + tail);
  EXPECT_EQ(of_run[2], "workflow: run " + run.run_id() + " completed" + tail);
}

TEST_F(TransitionLogTest, InJsonModeTheRuntimesOwnMessagesAreJsonToo) {
  start_logging("info", "json", "127.0.0.1:0");
  workflow::start(log_steps, 1).return_value(std::chrono::seconds(20));
  auto lines = stop_and_take_lines();
  bool said_where = false;
  for (const auto& line : lines) {
    Json parsed;
    ASSERT_NO_THROW(parsed = Json::parse(line)) << "not a JSON line: " << line;
    if (parsed.value("msg", "").rfind("metrics on http://127.0.0.1:", 0) == 0) {
      said_where = true;
      EXPECT_EQ(parsed["level"], "info");
      EXPECT_EQ(parsed["url"], parsed["msg"].get<std::string>().substr(std::string("metrics on ").size()));
    }
  }
  EXPECT_TRUE(said_where) << testing::PrintToString(lines);
}

}  // namespace
