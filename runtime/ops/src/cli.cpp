// The `wf` command line: CLI11 wiring, the two commands that follow a run live (tail, watch), and
// `wf journal copy`.
#include "cli.hpp"

#include "cli_output.hpp"
#include "error_report.hpp"
#include "json_views.hpp"
#include "http_server.hpp"
#include "listen_address.hpp"
#include "operations.hpp"
#include "schedule_operations.hpp"
#include "queue_operations.hpp"
#include "retention_operations.hpp"
#include "versioning_operations.hpp"

#include <workflow/config.hpp>
#include <workflow/journal_copy.hpp>
#include <workflow/run.hpp>

#include <CLI/CLI.hpp>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <cstdlib>
#include <thread>
#include <unistd.h>

namespace workflow::ops {
namespace {

struct Settings {
  std::string database;
  bool json = false;
  /// The command only reads: a missing journal is an error, not a new one, and a journal this
  /// user may not write to can still be read.
  bool reads_only = false;
  /// `wf serve`: it runs for others, so it logs what its API does at the configured level; other
  /// commands say what they did on stdout and log only warnings unless WORKFLOW_LOG_LEVEL asks.
  bool serves = false;
};

// The token's file holds it on its first line; a token in argv is visible to every user in `ps`.
std::string read_token_file(const std::string& path) {
  std::ifstream file(path);
  std::string token;
  if (!file) throw BadRequest("--token-file: cannot read '" + path + "'");
  std::getline(file, token);
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ' || token.back() == '\t')) token.pop_back();
  if (token.empty()) throw BadRequest("--token-file: the first line of '" + path + "' is empty");
  return token;
}

void open_journal(const Settings& settings) {
  auto config = default_config();
  if (!settings.database.empty()) config.database = settings.database;
  config.execute_runs = false;  // wf only inspects and controls; workers execute
  config.store.read_only = settings.reads_only;
  if (config.log_level.empty() && !settings.serves) config.log_level = "warn";
  configure(config);
}

void emit(const Settings& settings, const Json& document, void (*render)(const Json&, std::FILE*)) {
  if (settings.json) std::printf("%s\n", json_text(document, 2).c_str());
  else render(document, stdout);
}

int tail(const Settings& settings, const std::string& run_id, const std::string& name_space, std::int64_t start) {
  check_id(run_id, "the run ID");
  check_id(name_space, "the namespace");
  auto reader = get_run(run_id).get_readable({.name_space = name_space, .start_index = start});
  while (auto chunk = reader.next()) {
    if (settings.json) std::printf("%s\n", json_text(Json{{"index", reader.position() - 1}, {"data", *chunk}}).c_str());
    else std::printf("%s\n", chunk->is_string() ? chunk->get<std::string>().c_str() : json_text(*chunk).c_str());
    std::fflush(stdout);
  }
  return exit_code::ok;
}

// Counts what the timeline shows so far: the progress display's numbers.
std::string progress_line(const Json& run, std::chrono::steady_clock::duration elapsed) {
  int done = 0, retries = 0, waiting = 0;
  std::string last;
  for (const auto& entry : run.at("timeline")) {
    auto status = entry.at("status").get<std::string>();
    done += status == "completed" || status == "failed";
    waiting += status == "waiting";
    for (const auto& attempt : entry.at("attempts")) retries += attempt.at("outcome") != "completed";
    last = entry.at("correlation_id").get<std::string>() + " " + short_name(entry.at("name").get<std::string>());
  }
  char line[512];
  std::snprintf(line, sizeof line, "%s  %-9s  %d calls done%s%s  %5.1f s%s%s", run.at("id").get<std::string>().c_str(),
                run.at("status").get<std::string>().c_str(), done, retries ? (", " + std::to_string(retries) + " failed attempts").c_str() : "",
                waiting ? ", waiting" : "", std::chrono::duration<double>(elapsed).count(), last.empty() ? "" : "  last: ",
                last.c_str());
  return line;
}

int watch(const Settings& settings, const std::string& run_id, int interval_ms) {
  bool terminal = !settings.json && isatty(STDOUT_FILENO);
  auto begin = std::chrono::steady_clock::now();
  std::string previous;
  for (;;) {
    auto run = run_json(run_id);
    auto status = run.at("status").get<std::string>();
    bool ended = status == "completed" || status == "failed" || status == "cancelled";
    if (settings.json) {
      // One JSON document per change: machine-readable progress.
      auto summary = run;
      summary.erase("timeline");
      summary["calls"] = run.at("timeline").size();
      auto line = json_text(summary);
      if (line != previous) std::printf("%s\n", line.c_str());
      previous = line;
    } else {
      auto line = progress_line(run, std::chrono::steady_clock::now() - begin);
      // Elapsed time changes every tick; compare without it.
      auto key = status + std::to_string(run.at("timeline").size()) + json_text(run.at("timeline"));
      if (terminal) std::printf("\r\033[K%s", line.c_str());
      else if (key != previous) std::printf("%s\n", line.c_str());
      previous = key;
    }
    std::fflush(stdout);
    if (ended) {
      if (terminal) std::printf("\n");
      if (!settings.json) {
        if (status == "completed") std::printf("result: %s\n", json_text(run.at("output")).c_str());
        if (status == "failed") std::printf("error: %s\n", run.at("error").value("message", std::string("?")).c_str());
      }
      return status == "completed" ? exit_code::ok : status == "failed" ? exit_code::run_failed : exit_code::run_cancelled;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
  }
}

// `wf journal copy`: the journals are its arguments, so the engine is never configured. Progress
// goes to a terminal's stderr only.
int copy_journal_command(const Settings& settings, const std::string& from, const std::string& to, bool force) {
  if (!settings.database.empty())
    throw BadRequest("wf journal copy takes both journals as arguments; --database does not apply");
  CopyOptions options;
  options.ignore_live_leases = force;
  bool terminal = isatty(STDERR_FILENO);
  if (terminal) {
    options.progress = [](const CopyReport& so_far) {
      std::fprintf(stderr, "\r\033[Kcopying: %lld runs, %lld events", static_cast<long long>(so_far.runs),
                   static_cast<long long>(so_far.events));
    };
  }
  CopyReport report;
  try {
    report = copy_journal(from, to, options);
  } catch (...) {
    if (terminal) std::fprintf(stderr, "\n");  // keep the progress line above the error
    throw;
  }
  if (terminal) std::fprintf(stderr, "\r\033[K");
  Json document = {{"from", report.from},       {"to", report.to},
                   {"runs", report.runs},       {"unfinished_runs", report.unfinished_runs},
                   {"events", report.events},   {"streams", report.streams},
                   {"stream_chunks", report.stream_chunks}, {"workflows", report.workflows},
                   {"schedules", report.schedules}};
  if (settings.json) {
    std::printf("%s\n", json_text(document, 2).c_str());
    return exit_code::ok;
  }
  std::printf("copied %s\n    to %s\n", report.from.c_str(), report.to.c_str());
  std::printf("  runs                    %lld (%lld not ended: the target's workers go on with them)\n",
              static_cast<long long>(report.runs), static_cast<long long>(report.unfinished_runs));
  std::printf("  events                  %lld\n", static_cast<long long>(report.events));
  std::printf("  streams                 %lld (%lld chunks)\n", static_cast<long long>(report.streams),
              static_cast<long long>(report.stream_chunks));
  std::printf("  workflow registrations  %lld\n", static_cast<long long>(report.workflows));
  std::printf("  schedules               %lld\n", static_cast<long long>(report.schedules));
  return exit_code::ok;
}

// CLI11 reports an unknown command word as "A subcommand is required"; name the word instead.
std::optional<std::string> unknown_command(CLI::App& app, int argc, char** argv) {
  CLI::App* group = &app;
  std::string path = "wf";
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word == "--database") ++i;  // the only option that takes a value before the command
    if (word.empty() || word[0] == '-') continue;
    auto subcommands = group->get_subcommands([](CLI::App*) { return true; });
    if (subcommands.empty()) return std::nullopt;  // a command: the rest are its arguments
    CLI::App* next = nullptr;
    for (auto* sub : subcommands) next = sub->get_name() == word ? sub : next;
    if (!next) return "unknown command '" + path + " " + word + "'; see '" + path + " --help'";
    group = next;
    path += " " + word;
  }
  return std::nullopt;
}

int report_failure(const Settings& settings, std::exception_ptr error) {
  auto report = report_error(error);
  std::fprintf(stderr, "wf: error: %s\n", report.message.c_str());
  if (settings.json)
    std::printf("%s\n", json_text(Json{{"error", {{"code", report.code}, {"message", report.message}}}}).c_str());
  return report.exit_code;
}

}  // namespace

int run_wf(int argc, char** argv) {
  Settings settings;
  CLI::App app{"wf: operate workflow-cpp runs (list, inspect, start, control, tail, serve)", "wf"};
  app.add_option("--database", settings.database,
                 "the journal: a SQLite file path, sqlite:// or postgresql:// URL (default: $WORKFLOW_DATABASE, else workflow.db)");
  app.add_flag("--json", settings.json, "print JSON instead of tables");
  app.require_subcommand(1);
  // Subcommands inherit this: --database and --json may come after the command too.
  app.fallthrough();
  std::function<int()> command;

  auto* workflows = app.add_subcommand("workflows", "registered workflows")->require_subcommand(1);
  workflows->add_subcommand("list", "the workflows deployments have registered")->callback([&] {
    settings.reads_only = true;
    command = [&] { return emit(settings, list_workflows_json(), print_workflows), exit_code::ok; };
  });

  add_schedule_commands(app, settings.reads_only, settings.json, command);
  auto* queues = app.add_subcommand("queues", "declared queues: limits, waiting and active runs")->require_subcommand(1);
  queues->add_subcommand("list", "every declared queue")->callback([&] {
    settings.reads_only = true;
    command = [&] { return emit(settings, list_queues_json(), print_queues), exit_code::ok; };
  });
  std::string shown_queue;
  auto* show_queue = queues->add_subcommand("show", "one queue");
  show_queue->add_option("name", shown_queue, "the queue's name")->required();
  show_queue->callback([&] {
    settings.reads_only = true;
    command = [&] { return emit(settings, queue_json(shown_queue), print_queue), exit_code::ok; };
  });

  auto* runs = app.add_subcommand("runs", "runs: list, show, start, control, follow")->require_subcommand(1);

  std::map<std::string, std::string> filters;
  auto* list = runs->add_subcommand("list", "runs, newest first");
  for (const char* name : {"status", "workflow", "since", "limit", "cursor"}) filters[name];
  list->add_option("--status", filters["status"], "pending, running, waiting, paused, completed, failed or cancelled");
  list->add_option("--workflow", filters["workflow"], "a workflow ID");
  list->add_option("--since", filters["since"], "an ISO 8601 time or a duration back from now (15m, 2h, 7d)");
  list->add_option("--limit", filters["limit"], "runs per page, 1-1000 (default 50)");
  list->add_option("--cursor", filters["cursor"], "continue after this page (printed as 'more: --cursor ...')");
  list->callback([&] {
    settings.reads_only = true;
    command = [&] {
      auto query = parse_run_query([&](const char* name) -> std::optional<std::string> { return filters[name]; });
      return emit(settings, list_runs_json(query), print_runs), exit_code::ok;
    };
  });

  std::string run_id;
  auto add_run_command = [&](const char* name, const char* help) {
    auto* sub = runs->add_subcommand(name, help);
    sub->add_option("run-id", run_id, "the run's ID")->required();
    return sub;
  };

  add_run_command("show", "status, timestamps, arguments, result or error, and the step timeline")->callback([&] {
    settings.reads_only = true;
    command = [&] { return emit(settings, run_json(run_id), print_run), exit_code::ok; };
  });
  add_run_command("events", "the run's journal")->callback([&] {
    settings.reads_only = true;
    command = [&] { return emit(settings, run_events_json(run_id), print_events), exit_code::ok; };
  });

  std::string name_space = "default";
  std::int64_t start_index = 0;
  auto* tail_command = add_run_command("tail", "print a stream's chunks, then new ones live until it ends");
  tail_command->add_option("--namespace", name_space, "the stream (default: default)");
  tail_command->add_option("--start-index", start_index, "the first chunk; negative counts from the end");
  tail_command->callback([&] {
    settings.reads_only = true;
    command = [&] { return tail(settings, run_id, name_space, start_index); };
  });

  int interval_ms = 250;
  auto* watch_command = add_run_command("watch", "follow a run's progress until it ends (exit 0 completed, 6 failed, 7 cancelled)");
  watch_command->add_option("--interval", interval_ms, "milliseconds between polls")->check(CLI::Range(10, 60000));
  watch_command->callback([&] {
    settings.reads_only = true;
    command = [&] { return watch(settings, run_id, interval_ms); };
  });

  std::string workflow_id, args_text = "[]", new_run_id, deployment;
  std::string queue_name, partition_key, deduplication_id;
  int priority = 0;
  // The queue options of `wf runs start` and `start-batch` (docs/queues.md).
  auto add_queue_options = [&](CLI::App* sub) {
    sub->add_option("--queue", queue_name, "a declared queue to wait in (wf queues list)");
    sub->add_option("--priority", priority, "order in the queue: lower starts sooner (default 0)");
    sub->add_option("--partition-key", partition_key, "the key the queue's per-key limit counts by");
    sub->add_option("--deduplication-id", deduplication_id,
                    "while a run of the queue with this ID is unfinished, return it instead of starting one");
  };
  auto queue_request = [&](Json& request) {
    if (!queue_name.empty()) request["queue"] = queue_name;
    if (priority != 0) request["priority"] = priority;
    if (!partition_key.empty()) request["partition_key"] = partition_key;
    if (!deduplication_id.empty()) request["deduplication_id"] = deduplication_id;
  };
  auto* start = runs->add_subcommand("start", "start a run of a registered workflow; prints its ID");
  start->add_option("workflow-id", workflow_id, "the workflow's stable ID (see wf workflows list)")->required();
  start->add_option("--args", args_text, "the arguments as a JSON array (default [])");
  start->add_option("--id", new_run_id, "a run ID of your choosing (starting it again is a no-op)");
  start->add_option("--deployment", deployment, "the deployment to run on (default: the latest that registered it)");
  add_queue_options(start);
  start->callback([&] {
    command = [&] {
      Json request = {{"workflow", workflow_id}, {"args", parse_json(args_text, "--args")}};
      if (!new_run_id.empty()) request["id"] = new_run_id;
      if (!deployment.empty()) request["deployment_id"] = deployment;
      queue_request(request);
      auto started = start_run_json(request);
      if (settings.json) std::printf("%s\n", json_text(started, 2).c_str());
      else std::printf("%s\n", started.at("run").at("id").get<std::string>().c_str());
      if (started.contains("note")) std::fprintf(stderr, "wf: %s\n", started.at("note").get<std::string>().c_str());
      return exit_code::ok;
    };
  });

  std::string batch_file;
  auto* batch = runs->add_subcommand("start-batch", "start many runs of a workflow in one commit; prints their IDs");
  batch->add_option("workflow-id", workflow_id, "the workflow's stable ID (see wf workflows list)")->required();
  batch->add_option("--runs", batch_file,
                    "a file (- for stdin) holding a JSON array, one entry per run: {\"args\": [...], \"id\"?: ...}")
      ->required();
  batch->add_option("--deployment", deployment, "the deployment to run on (default: the latest that registered it)");
  add_queue_options(batch);
  batch->callback([&] {
    command = [&] {
      std::string text;
      if (batch_file == "-") {
        text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
      } else {
        std::ifstream file(batch_file);
        if (!file) throw BadRequest("--runs: cannot read '" + batch_file + "'");
        text.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
      }
      Json request = {{"workflow", workflow_id}, {"runs", parse_json(text, "--runs")}};
      if (!deployment.empty()) request["deployment_id"] = deployment;
      queue_request(request);
      auto started = start_batch_json(request);
      if (settings.json) {
        std::printf("%s\n", json_text(started, 2).c_str());
      } else {
        for (const auto& id : started.at("run_ids")) std::printf("%s\n", id.get<std::string>().c_str());
      }
      return exit_code::ok;
    };
  });

  for (const char* action : {"cancel", "pause", "resume", "restart"}) {
    add_run_command(action, (std::string(action) + " the run").c_str())->callback([&, action] {
      command = [&, action] {
        auto result = control_run_json(run_id, action);
        if (settings.json) std::printf("%s\n", json_text(result, 2).c_str());
        else print_run_status(result.at("run"), stdout);
        return exit_code::ok;
      };
    });
  }

  bool unkeep = false;
  auto* keep = add_run_command("keep", "keep the run however old it gets: retention never deletes it (docs/retention.md)");
  keep->add_flag("--undo", unkeep, "let retention delete it again");
  keep->callback([&] {
    command = [&] {
      auto result = keep_run_json(run_id, !unkeep);
      if (settings.json) std::printf("%s\n", json_text(result, 2).c_str());
      else std::printf("%s: %s\n", run_id.c_str(), unkeep ? "no longer kept" : "kept");
      return exit_code::ok;
    };
  });

  std::string finished_before, prune_statuses;
  bool prune_dry_run = false;
  auto* prune = runs->add_subcommand("prune", "delete finished runs with their events, streams and children (docs/retention.md)");
  prune->add_option("--finished-before", finished_before,
                    "runs that ended before this: an ISO 8601 time or an age (30d, 12h)")->required();
  prune->add_option("--status", prune_statuses, "only runs that ended so: completed, failed, cancelled (comma-separated)");
  prune->add_flag("--dry-run", prune_dry_run, "count what would be deleted, delete nothing");
  prune->callback([&] {
    command = [&] {
      Json request = {{"finished_before", finished_before}, {"dry_run", prune_dry_run}};
      if (!prune_statuses.empty()) request["status"] = prune_statuses;
      return emit(settings, prune_runs_json(request), print_prune_report), exit_code::ok;
    };
  });

  std::vector<std::string> correlation_ids;
  auto* wake = add_run_command("wake-up", "end the run's sleeps now (all, or those named)");
  wake->add_option("--correlation-id", correlation_ids, "a sleep to end, e.g. wait-3 (repeatable)");
  wake->callback([&] {
    command = [&] {
      auto result = wake_up_json(run_id, correlation_ids);
      if (settings.json) std::printf("%s\n", json_text(result, 2).c_str());
      else std::printf("%s: %lld sleep(s) ended\n", run_id.c_str(), static_cast<long long>(result.at("woken").get<std::int64_t>()));
      return exit_code::ok;
    };
  });

  std::string event_type, payload_text = "{}";
  auto* send = add_run_command("send-event", "deliver an external event to the run");
  send->add_option("type", event_type, "the event type the workflow waits for")->required();
  send->add_option("--payload", payload_text, "the payload as JSON (default {})");
  send->callback([&] {
    command = [&] {
      auto result = send_event_json(run_id, event_type, parse_json(payload_text, "--payload"));
      if (settings.json) std::printf("%s\n", json_text(result, 2).c_str());
      else std::printf("%s: event '%s' sent\n", run_id.c_str(), event_type.c_str());
      return exit_code::ok;
    };
  });

  std::vector<std::string> replay_ids;
  std::string replay_workflow, replay_deployment, replay_status;
  bool replay_unfinished = false;
  std::size_t replay_limit = 1000;
  auto* replay = runs->add_subcommand(
      "replay", "replay recorded runs against this binary's workflow code, executing nothing (docs/versioning.md)");
  replay->add_option("run-id", replay_ids, "runs to replay (default: the newest, as filtered)");
  replay->add_option("--workflow", replay_workflow, "only runs of this workflow ID");
  replay->add_option("--deployment", replay_deployment, "only runs pinned to this deployment");
  replay->add_option("--status", replay_status, "only runs with this status");
  replay->add_flag("--unfinished", replay_unfinished, "only runs that have not ended");
  replay->add_option("--limit", replay_limit, "at most this many runs (default 1000)");
  replay->callback([&] {
    settings.reads_only = true;
    command = [&] {
      Json request = {{"run_ids", replay_ids}, {"unfinished", replay_unfinished}, {"limit", replay_limit}};
      if (!replay_workflow.empty()) request["workflow"] = replay_workflow;
      if (!replay_deployment.empty()) request["deployment"] = replay_deployment;
      if (!replay_status.empty()) request["status"] = replay_status;
      auto report = replay_check_json(request);
      emit(settings, report, print_replay_report);
      // A deploy script asks "does every run replay?": one not checked is no yes.
      bool all_compatible = report.at("counts").at("compatible") == report.at("runs").size();
      return all_compatible ? exit_code::ok : exit_code::incompatible;
    };
  });

  std::string upgrade_from, upgrade_to = "latest", upgrade_workflow;
  bool upgrade_dry_run = false;
  auto* upgrade = runs->add_subcommand(
      "upgrade", "move unfinished runs to this binary's deployment when its code replays them (docs/versioning.md)");
  upgrade->add_option("--from", upgrade_from, "the deployment whose unfinished runs move")->required();
  upgrade->add_option("--to", upgrade_to, "this binary's deployment, or latest (default)");
  upgrade->add_option("--workflow", upgrade_workflow, "only runs of this workflow ID");
  upgrade->add_flag("--dry-run", upgrade_dry_run, "check and report; change nothing");
  upgrade->callback([&] {
    command = [&] {
      Json request = {{"from", upgrade_from}, {"to", upgrade_to}, {"dry_run", upgrade_dry_run}};
      if (!upgrade_workflow.empty()) request["workflow"] = upgrade_workflow;
      auto report = upgrade_json(request);
      emit(settings, report, print_upgrade_report);
      bool all_moved = report.at("moved").get<std::size_t>() == report.at("runs").size();
      return all_moved ? exit_code::ok : exit_code::incompatible;
    };
  });

  ServeOptions serve_options;
  std::string listen = "127.0.0.1:8080", token_file;
  std::int64_t max_body = serve_options.max_body_bytes;
  auto* serve_command = app.add_subcommand("serve", "the REST API and the dashboard over HTTP (docs/rest-api.md)");
  serve_command->add_option("--listen", listen, "host:port or [ipv6]:port (default 127.0.0.1:8080)");
  auto* token_option = serve_command->add_option(
      "--token", serve_options.token,
      "bearer token required on /api/; visible to other users in `ps`: prefer --token-file or $WORKFLOW_API_TOKEN");
  serve_command->add_option("--token-file", token_file, "read the bearer token from this file (first line)")
      ->excludes(token_option);
  serve_command->add_option("--max-body", max_body, "largest request body in bytes (default 1 MiB)")
      ->check(CLI::Range(std::int64_t{1024}, std::int64_t{1} << 40));
  serve_command->add_option("--request-timeout", serve_options.request_timeout_seconds,
                            "seconds a client has to send a whole request (default 30)")
      ->check(CLI::Range(1, 3600));
  serve_command->add_option("--max-connections", serve_options.max_connections,
                            "open connections at most, in total (default 1000)")
      ->check(CLI::Range(1, 100000));
  serve_command->add_option("--max-connections-per-client", serve_options.max_connections_per_client,
                            "open connections at most from one client address (default 64)")
      ->check(CLI::Range(1, 100000));
  serve_command->callback([&] {
    settings.serves = true;
    command = [&] {
      auto address = parse_listen_address(listen);
      serve_options.host = address.host;
      serve_options.port = address.port;
      serve_options.max_body_bytes = static_cast<std::size_t>(max_body);
      if (!token_file.empty()) serve_options.token = read_token_file(token_file);
      if (serve_options.token.empty())
        if (const char* token = std::getenv("WORKFLOW_API_TOKEN")) serve_options.token = token;
      check_serve_options(serve_options);
      return serve(serve_options);
    };
  });

  std::string copy_from, copy_to;
  bool force = false, opens_journal = true;
  auto* journal = app.add_subcommand("journal", "whole journals: copy one into a new one")->require_subcommand(1);
  auto* copy = journal->add_subcommand(
      "copy", "copy every run, event, stream and workflow registration into a new journal (e.g. SQLite to PostgreSQL)");
  copy->add_option("from", copy_from, "the source journal: a SQLite file path, sqlite:// or postgresql:// URL")->required();
  copy->add_option("to", copy_to, "the target journal, which must hold no runs: a new file or database schema")->required();
  copy->add_flag("--force", force, "copy even though workers of the source still hold runs (stop them first instead)");
  copy->callback([&] {
    opens_journal = false;
    command = [&] { return copy_journal_command(settings, copy_from, copy_to, force); };
  });

  if (auto problem = unknown_command(app, argc, argv)) {
    std::fprintf(stderr, "wf: error: %s\n", problem->c_str());
    return exit_code::bad_input;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error);
    return code == 0 ? exit_code::ok : exit_code::bad_input;
  }
  try {
    if (opens_journal) open_journal(settings);
    return command();
  } catch (...) {
    return report_failure(settings, std::current_exception());
  }
}

}  // namespace workflow::ops
