// Shared helpers for the runtime tests: a fresh journal per test, and the dispatch calls that wfc
// would emit, written by hand (the compiler's own tests cover the emitting).
#pragma once

#include <workflow/workflow.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <set>
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
#define CALL_STEP(fn, ...) ::workflow::detail::call_step<&fn>(STEP_ID(fn) __VA_OPT__(, ) __VA_ARGS__)

namespace workflow::testing {

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
  std::string database_path() const { return (dir_.path() / "journal.db").string(); }
  /// Stops the engine (as a process exit would) and starts a new one on the same journal.
  void restart_engine() {
    workflow::shutdown();
    start_engine();
  }
  void start_engine() { workflow::configure(config()); }
  /// Waits up to two seconds for `run` to reach `status`.
  template <class R>
  void wait_for_status(const workflow::Run<R>& run, workflow::RunStatus status) {
    for (int i = 0; i < 400 && run.status() != status; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_EQ(run.status(), status);
  }

  TempDir dir_;
};

}  // namespace workflow::testing
