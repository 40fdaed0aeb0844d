// Shared helpers for the runtime tests: a fresh journal per test on the backend the environment
// picks, and the dispatch calls that wfc would emit, written by hand (the compiler's own tests
// cover the emitting).
//
// Backends: by default each test's journal is a SQLite file in a temporary directory. With
// WORKFLOW_TEST_BACKEND=postgresql it is a schema of its own in the test server, whose URL is in
// the file WORKFLOW_TEST_POSTGRES_URL_FILE names; test/runtime/CMakeLists.txt registers every
// test both ways, and the CTest fixture `postgres` (test/postgres) starts and stops the server.
#pragma once

#include <workflow/workflow.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>
#include <string>
#include <unistd.h>

// What wfc emits for a workflow or step defined in test/runtime/<file>.
#define WF_ID(fn) "workflow//./test//" #fn
#define STEP_ID(fn) "step//./test//" #fn
#define REGISTER_WORKFLOW(fn) \
  [[maybe_unused]] static const bool fn##_registered = ::workflow::detail::register_workflow<&fn>(WF_ID(fn))
#define REGISTER_STEP(fn) \
  [[maybe_unused]] static const bool fn##_registered = ::workflow::detail::register_step<&fn>(STEP_ID(fn))
#define WORKFLOW_ENTRY(fn) ::workflow::detail::workflow_entry(WF_ID(fn))
#define CALL_STEP(fn, ...) ::workflow::detail::step_call<&fn>(STEP_ID(fn))(__VA_ARGS__)
#define CALL_WORKFLOW(fn, ...) ::workflow::detail::workflow_call<&fn>(WF_ID(fn))(__VA_ARGS__)

namespace workflow::test_support {

/// A unique temporary directory, removed at destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "workflow-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// The backend the tests run on: WORKFLOW_TEST_BACKEND, `sqlite` (the default) or `postgresql`.
inline std::string test_backend() {
  const char* value = std::getenv("WORKFLOW_TEST_BACKEND");
  std::string backend = value && *value ? value : "sqlite";
  if (backend != "sqlite" && backend != "postgresql")
    throw std::runtime_error("WORKFLOW_TEST_BACKEND is '" + backend + "': expected 'sqlite' or 'postgresql'");
  return backend;
}

/// A new, empty journal in the test PostgreSQL server: its URL with `schema=t_<unique>` (unique
/// across processes and calls; the backend creates the schema). Throws when the server's URL file
/// is missing, so that the test fails: a PostgreSQL test never passes without PostgreSQL.
inline std::string fresh_postgresql_journal() {
  const char* url_file = std::getenv("WORKFLOW_TEST_POSTGRES_URL_FILE");
  std::string url;
  if (url_file && *url_file) {
    std::ifstream in(url_file);
    std::getline(in, url);
  }
  if (url.empty())
    throw std::runtime_error(std::string("a PostgreSQL journal was asked for, but the test server's URL file '") +
                             (url_file ? url_file : "") +
                             "' (WORKFLOW_TEST_POSTGRES_URL_FILE) is missing or empty: run the postgresql.* tests "
                             "through ctest, whose fixture `postgres` starts the server (test/postgres)");
  static std::atomic<unsigned> counter{0};
  char schema[64];
  std::snprintf(schema, sizeof schema, "t_%ld_%u_%08x", static_cast<long>(getpid()), counter++,
                static_cast<unsigned>(std::random_device{}()));
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "schema=" + schema;
}

/// A new, empty journal on the backend of test_backend(): `dir/journal.db`, or a fresh schema in
/// the test PostgreSQL server. Throws (the test fails) if that server is not there.
inline std::string fresh_journal(const std::filesystem::path& dir) {
  if (test_backend() == "postgresql") return fresh_postgresql_journal();
  return (dir / "journal.db").string();
}

/// The stable ID of the step `name` defined in the same file as the workflow `workflow_id`
/// (docs/stable-ids.md: `<kind>//./<path>//<qualified-name>`, one path for everything a file
/// defines): suites built with wfc name their steps this way, without spelling their root.
inline std::string step_id_beside(const std::string& workflow_id, const std::string& name) {
  const std::string kind = "workflow//";
  std::size_t name_at = workflow_id.rfind("//");
  if (workflow_id.rfind(kind, 0) != 0 || name_at == std::string::npos || name_at < kind.size())
    throw std::invalid_argument("'" + workflow_id + "' is not a derived workflow ID (docs/stable-ids.md)");
  return "step//" + workflow_id.substr(kind.size(), name_at + 2 - kind.size()) + name;
}

/// Gives each test its own journal and engine.
class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override { start_engine(); }
  void TearDown() override { workflow::shutdown(); }

  Config config() const {
    Config config;
    config.database = database_path();
    config.workers = 8;
    return config;
  }
  /// The test's journal (Config::database): a file path or a PostgreSQL URL, see fresh_journal.
  std::string database_path() const { return database_; }
  /// Stops the engine (as a process exit would) and starts a new one on the same journal.
  void restart_engine() {
    workflow::shutdown();
    start_engine();
  }
  void start_engine() { workflow::configure(config()); }
  /// Restarts the engine without workers: runs started now wait, nothing executes them.
  void start_idle_engine() {
    workflow::shutdown();
    auto idle = config();
    idle.execute_runs = false;
    workflow::configure(idle);
  }
  /// Waits up to two seconds for `run` to reach `status`. The status seen is the one checked: the
  /// run may have gone on since (a short sleep ends).
  template <class R>
  void wait_for_status(const workflow::Run<R>& run, workflow::RunStatus status) {
    auto seen = run.status();
    for (int i = 0; i < 400 && seen != status; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      seen = run.status();
    }
    ASSERT_EQ(seen, status);
  }

  TempDir dir_;
  std::string database_ = fresh_journal(dir_.path());
};

}  // namespace workflow::test_support
