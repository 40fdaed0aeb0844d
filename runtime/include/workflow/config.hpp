// Engine configuration: which journal, how many workers, how long a lease lasts.
//
// Nothing here is required: the engine starts itself on first use with the defaults below and
// WORKFLOW_DATABASE. `configure` only has to be called to change them, before that first use.
#pragma once

#include <chrono>
#include <string>

namespace workflow {

/// Settings of this process's engine.
struct Config {
  /// A file path, `sqlite:///abs/path` or `sqlite://rel/path` (a file: other processes share
  /// it). Empty: the WORKFLOW_DATABASE environment variable, else `workflow.db` in the working
  /// directory.
  std::string database;
  /// Worker threads executing runs. A worker is busy only while a run executes; waiting runs
  /// hold none.
  unsigned workers = 32;
  /// How long a claim on a run lasts without a heartbeat. Another process takes over a run whose
  /// lease ran out; on the same host a dead owner is detected at once.
  std::chrono::milliseconds lease{30000};
  /// How long a write waits for another process's lock before failing.
  std::chrono::milliseconds busy_timeout{5000};
  /// fsync on every commit (`synchronous=FULL`). Turn off only for throwaway journals.
  bool durable_commits = true;
  /// The deployment this process's workers belong to. Runs are pinned to a deployment when they
  /// start and only its workers execute them. Empty: WORKFLOW_DEPLOYMENT_ID, else `build-<id>`
  /// derived from the executable's build ID (a rebuilt program is a new deployment).
  std::string deployment_id;
  /// Run workers in this process. Off for tools that only inspect or control runs.
  bool execute_runs = true;
};

/// The configuration the engine would use: WORKFLOW_DATABASE and the defaults above.
Config default_config();

/// Sets this process's engine configuration. Throws ConfigurationError once the engine runs.
void configure(const Config& config);

/// Stops this process's engine: no new work is claimed, running steps finish, runs in progress
/// are released for another worker. Called automatically at exit. The next use starts it again.
void shutdown();

/// Runs this process as a worker: starts the engine now (its workers claim runs of the workflows
/// this program has) and blocks until SIGINT or SIGTERM, then shuts down gracefully as above.
/// Returns the signal that stopped it.
int run_worker();

}  // namespace workflow
