// A TestEnvironment's lifecycle: this process's engine started on a journal of the test's own,
// and stopped, with the mocks removed and the clock set back, at the end.
#include "testing/environment_state.hpp"

#include "engine/step_overrides.hpp"
#include "util/time.hpp"

#include <atomic>
#include <cstdlib>
#include <system_error>

namespace workflow::testing {
namespace {

// The process has one engine, so one environment at a time.
std::atomic<bool> g_environment_exists{false};

std::filesystem::path make_temporary_directory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "workflow-test-XXXXXX").string();
  if (!mkdtemp(pattern.data()))
    throw TestEnvironmentError("TestEnvironment: cannot create a temporary directory for its journal in " +
                               std::filesystem::temp_directory_path().string() + ": " +
                               std::generic_category().message(errno));
  return pattern;
}

}  // namespace

TestEnvironment::TestEnvironment() : TestEnvironment(TestOptions{}) {}

TestEnvironment::TestEnvironment(TestOptions options) : state_(std::make_unique<State>()) {
  if (g_environment_exists.exchange(true))
    throw TestEnvironmentError(
        "a TestEnvironment exists already in this process: the process has one engine, so one "
        "environment at a time (destroy the other one first)");
  try {
    state_->options = std::move(options);
    state_->database = state_->options.database;
    if (state_->database.empty()) {
      state_->temporary_directory = make_temporary_directory();
      state_->database = (*state_->temporary_directory / "journal.db").string();
    }
    Config config;
    config.database = state_->database;
    config.workers = state_->options.workers;
    // A test asserts on timelines; the run transitions would only crowd its output.
    if (std::getenv("WORKFLOW_LOG_LEVEL") == nullptr) config.log_level = "warn";
    try {
      workflow::detail::Engine::configure(config);
    } catch (const ConfigurationError&) {
      throw TestEnvironmentError(
          "TestEnvironment: this process's engine was started before the environment (by "
          "workflow::start, get_run or another use of the runtime); call workflow::shutdown() "
          "before creating a TestEnvironment");
    }
    state_->engine = workflow::detail::Engine::instance();
  } catch (...) {
    if (state_->temporary_directory) std::filesystem::remove_all(*state_->temporary_directory);
    g_environment_exists = false;
    throw;
  }
}

TestEnvironment::~TestEnvironment() {
  stop();
  if (state_->temporary_directory) {
    std::error_code ignored;  // a destructor that throws would end the test program
    std::filesystem::remove_all(*state_->temporary_directory, ignored);
  }
  g_environment_exists = false;
}

const std::string& TestEnvironment::database() const { return state_->database; }

void TestEnvironment::stop() {
  if (!state_->engine) return;
  workflow::detail::Engine::shutdown_instance();
  state_->engine.reset();  // joins the workers: no run sees what follows
  workflow::detail::clear_step_overrides();
  workflow::detail::clock_offset() = 0;
  // A later use of the runtime outside an environment gets the default journal, not this one.
  workflow::detail::Engine::configure(default_config());
}

bool TestEnvironment::stopped() const { return !state_->engine; }

void TestEnvironment::require_running(const char* operation) const {
  if (stopped())
    throw TestEnvironmentError(std::string("TestEnvironment: cannot ") + operation +
                               ": the environment was stopped (stop() shut its engine down); "
                               "create a new TestEnvironment");
}

TimePoint TestEnvironment::now() const { return workflow::detail::wall_now(); }

}  // namespace workflow::testing
