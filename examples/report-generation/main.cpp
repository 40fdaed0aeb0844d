// A small command-line front end for the report workflow:
//   report start <region>...   starts a report, prints its run ID and exits at once
//   report worker              executes reports (started here, by `wf runs start` or over HTTP)
//                              until SIGINT or SIGTERM
//   report result <run-id>     resumes the run if it is unfinished, prints its progress lines as
//                              they are written (earlier ones first), then the report
// The journal is report-generation.db in the working directory (or WORKFLOW_DATABASE).
#include "report_workflow.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

int main(int argc, char** argv) try {
  std::string command = argc > 1 ? argv[1] : "";
  auto config = workflow::default_config();
  if (std::getenv("WORKFLOW_DATABASE") == nullptr) config.database = "report-generation.db";
  workflow::configure(config);

  if (command == "start" && argc > 2) {
    auto run = workflow::start(reports::quarterly_report, std::vector<std::string>(argv + 2, argv + argc));
    std::printf("%s\n", run.run_id().c_str());
    return 0;  // the run goes on in whichever process has workers next
  }
  if (command == "worker" && argc == 2) {
    std::printf("report: worker of deployment %s executing runs from %s; Ctrl-C stops it\n",
                config.deployment_id.empty() ? "(default)" : config.deployment_id.c_str(),
                workflow::printable_database(config.database).c_str());
    std::fflush(stdout);
    return workflow::run_worker() < 0 ? 1 : 0;
  }
  if (command == "result" && argc == 3) {
    auto run = workflow::get_run(argv[2]);
    if (!run.exists()) {
      std::fprintf(stderr, "report: no run %s in %s\n", argv[2], workflow::printable_database(config.database).c_str());
      return 1;
    }
    // This process registers the workflow, so its workers finish the run if it is unfinished;
    // the reader ends when the run does.
    for (const auto& line : run.get_readable({.name_space = "progress"})) {
      std::printf("  %s\n", line.get<std::string>().c_str());
      std::fflush(stdout);
    }
    std::printf("%s (%s)\n%s", run.run_id().c_str(), run.workflow_name().c_str(),
                run.return_value().get<std::string>().c_str());
    return 0;
  }
  std::fprintf(stderr, "usage: report start <region>... | report result <run-id> | report worker\n");
  return 2;
} catch (const workflow::Error& error) {
  // An unusable journal (damaged, removed, locked past the busy timeout) is a message, not an abort.
  std::fprintf(stderr, "report: %s\n", error.what());
  return 1;
}
