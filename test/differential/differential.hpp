// The harness of the differential test: one `main` for a corpus program, built either way.
//
// Every program in corpus/ is compiled twice from the same source (see CMakeLists.txt):
//  - plain: the attributes are ignored, steps are plain calls, the workflow is called directly;
//  - journaled (DIFFERENTIAL_JOURNALED defined): the source goes through wfc
//    (target_workflow_sources) and the workflow runs through the engine, on a fresh SQLite
//    journal, as the run "differential".
// differential.py runs both and requires identical standard output.
//
// Conventions of a corpus program, so that both builds can print the same thing:
//  - a step body prints (std::printf) every time it runs: its call count is part of the output;
//  - a workflow body prints nothing itself (a body may run more than once when journaled); it
//    returns a std::string describing what it saw, which the harness prints as `result: ...`;
//  - the body calls differential::replay_point() before it returns (see below);
//  - the file ends with DIFFERENTIAL_MAIN(workflow, arguments...).
#pragma once

#include <workflow/workflow.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <type_traits>
#include <utility>

namespace differential {

/// Journaled build: a 1 ms durable sleep, so the run suspends and its body runs again from the
/// top (a replay) before it returns. Every journaled call made before this point must then be
/// answered from the journal: a step body that runs again shows up in the output. Plain build:
/// nothing.
inline void replay_point() {
#if defined(DIFFERENTIAL_JOURNALED)
  workflow::sleep(std::chrono::milliseconds(1));
#endif
}

inline void print_result(const std::string& result) { std::printf("result: %s\n", result.c_str()); }

#if defined(DIFFERENTIAL_JOURNALED)

/// `<program> <journal> first`: starts the run on the journal (a fresh file) and prints its
/// result after the output of its steps. `<program> <journal> again`: in a new process on the
/// same journal, starts the run with the same ID, which finds the completed run and returns its
/// recorded result without running anything; prints that result alone.
template <class R, class... P, class... A>
int run_main(int argc, char** argv, R (*flow)(P...), A&&... arguments) {
  static_assert(std::is_same_v<std::remove_cvref_t<R>, std::string>,
                "a corpus workflow returns a std::string");
  std::string mode = argc == 3 ? argv[2] : "";
  if (mode != "first" && mode != "again") {
    std::fprintf(stderr, "usage: %s <journal> first|again\n", argv[0]);
    return 2;
  }
  try {
    workflow::configure({.database = argv[1]});
    auto run = workflow::start(workflow::StartOptions{.id = "differential"}, flow,
                               std::forward<A>(arguments)...);
    print_result(run.return_value(std::chrono::minutes(1)));
    if (run.status() != workflow::RunStatus::completed) {
      std::fprintf(stderr, "run %s ended %s\n", run.run_id().c_str(),
                   std::string(to_string(run.status())).c_str());
      return 1;
    }
  } catch (const std::exception& error) {
    std::fflush(stdout);
    std::fprintf(stderr, "journaled run failed: %s\n", error.what());
    return 1;
  }
  return 0;
}

#else

template <class R, class... P, class... A>
int run_main(int, char**, R (*flow)(P...), A&&... arguments) {
  static_assert(std::is_same_v<std::remove_cvref_t<R>, std::string>,
                "a corpus workflow returns a std::string");
  print_result(flow(std::forward<A>(arguments)...));
  return 0;
}

#endif

}  // namespace differential

/// Defines `main`: runs `workflow(arguments...)` plainly or as a journaled run.
#define DIFFERENTIAL_MAIN(workflow, ...)                                              \
  int main(int argc, char** argv) {                                                   \
    return ::differential::run_main(argc, argv, &workflow __VA_OPT__(, ) __VA_ARGS__); \
  }
