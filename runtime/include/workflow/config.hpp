// Engine configuration: which journal, how many workers, how long a lease lasts, what it logs.
//
// Nothing here is required: the engine starts itself on first use with the defaults below and
// WORKFLOW_DATABASE. `configure` only has to be called to change them, before that first use.
#pragma once

#include <workflow/store_options.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace workflow {

/// Settings of this process's engine.
struct Config {
  /// The journal: a file path, `sqlite:///abs/path` or `sqlite://rel/path` (a file: the processes
  /// of one host share it), or `postgresql://user@host:port/dbname?schema=name` (a PostgreSQL
  /// database that workers on many machines share; the password comes from the URL, PGPASSWORD
  /// or ~/.pgpass and is never printed). Empty: the WORKFLOW_DATABASE environment variable, else
  /// `workflow.db` in the working directory.
  std::string database;
  /// How the journal is used: lock waits, durable commits, PostgreSQL schema and connections.
  StoreOptions store;
  /// Worker threads executing runs. A worker is busy only while a run executes; waiting runs
  /// hold none.
  unsigned workers = 32;
  /// How long a claim on a run lasts without a heartbeat. Another process takes over a run whose
  /// lease ran out; on the same host a dead owner is detected at once.
  std::chrono::milliseconds lease{30000};
  /// The deployment this process's workers belong to. Runs are pinned to a deployment when they
  /// start and only its workers execute them. Empty: WORKFLOW_DEPLOYMENT_ID, else `build-<id>`
  /// derived from the executable's build ID (a rebuilt program is a new deployment).
  std::string deployment_id;
  /// The key webhook tokens are derived from (docs/webhooks.md): the same on every worker of a
  /// journal, at least 32 characters, and never in the journal. Empty: WORKFLOW_WEBHOOK_SECRET,
  /// else, for a SQLite journal, a key file created next to it (`<journal>.webhook-key`, mode
  /// 0600); a PostgreSQL journal has no such default and workflow::create_webhook fails.
  std::string webhook_secret;
  /// How long a finished run is kept before this process's workers delete it with its events,
  /// streams and finished children (docs/retention.md); zero keeps runs forever. Unset:
  /// WORKFLOW_RETENTION (`30d`, `12h`, `1d12h`; `forever`), else 30 days. Give every worker of a
  /// journal the same: the shortest wins.
  std::optional<std::chrono::seconds> retention;
  /// How often each worker looks for runs past `retention`.
  std::chrono::seconds retention_interval{60};
  /// Run workers in this process. Off for tools that only inspect or control runs.
  bool execute_runs = true;
  /// Where this worker serves its Prometheus metrics (`GET /metrics`, docs/metrics.md), as
  /// `host:port` (`127.0.0.1:9464`; port 0: any free one). Empty: WORKFLOW_METRICS_ADDRESS, else
  /// not served (they are collected anyway). Only for processes that execute runs.
  std::string metrics_address;
  /// What this process logs on stderr (docs/logging.md): `debug` (every journal event), `info`
  /// (run transitions and waits, step failures), `warn` (step failures, problems), `error`, or
  /// `off`. Empty: WORKFLOW_LOG_LEVEL, else `info`.
  std::string log_level;
  /// How it logs: `text` (`workflow: run M-1 completed workflow=...`) or `json` (one object per
  /// line, for Loki or Elasticsearch). Empty: WORKFLOW_LOG_FORMAT, else `text`.
  std::string log_format;
};

/// The configuration the engine would use: WORKFLOW_DATABASE and the defaults above.
Config default_config();

/// `database` (a path or URL, as in Config::database) as it may be printed: a password in a URL
/// is replaced by `***`.
std::string printable_database(const std::string& database);

/// Sets this process's engine configuration. Throws ConfigurationError once the engine runs.
void configure(const Config& config);

/// Stops this process's engine: no new work is claimed, running steps finish, runs in progress
/// are released for another worker. Called automatically at exit. The next use starts it again.
void shutdown();

/// Runs this process as a worker: starts the engine now (its workers claim runs of the workflows
/// this program has) and blocks until SIGINT or SIGTERM, then shuts down gracefully as above.
/// Returns the signal that stopped it, or -1 if the engine could not start (the journal cannot be
/// opened or used, or its files were removed or replaced while the worker ran: the reason is
/// printed on stderr).
int run_worker();

}  // namespace workflow
