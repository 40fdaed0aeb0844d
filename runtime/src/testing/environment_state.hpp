// What a TestEnvironment holds, shared by the files that implement it: test_environment.cpp
// (lifecycle), virtual_clock.cpp (time), step_mocks.cpp, run_timeline.cpp.
#pragma once

#include <workflow/testing.hpp>

#include "engine/engine.hpp"

#include <filesystem>
#include <memory>
#include <optional>

namespace workflow::testing {

struct TestEnvironment::State {
  TestOptions options;
  std::string database;
  /// The temporary directory of the default journal, removed with the environment.
  std::optional<std::filesystem::path> temporary_directory;
  /// Held, so that the engine stops in stop() and not whenever a Run call lets go of it.
  std::shared_ptr<workflow::detail::Engine> engine;
};

}  // namespace workflow::testing
