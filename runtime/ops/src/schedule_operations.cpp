// Schedules in the CLI and the REST API (schedule_operations.hpp).
#include "schedule_operations.hpp"

#include "error_report.hpp"
#include "json_views.hpp"
#include "operations.hpp"
#include "text_table.hpp"

#include <workflow/errors.hpp>
#include <workflow/run.hpp>
#include <workflow/schedule_spec.hpp>
#include <workflow/schedules.hpp>

#include <cstdio>
#include <utility>

namespace workflow::ops {
namespace {

Json to_json(const ScheduleInfo& schedule) {
  return {{"name", schedule.name},
          {"workflow", schedule.workflow_id},
          {"args", schedule.arguments},
          {"spec", schedule.options.spec},
          {"time_zone", schedule.options.time_zone},
          {"description", schedule.description},
          {"overlap", to_string(schedule.options.overlap)},
          {"catch_up", to_string(schedule.options.catch_up)},
          {"catch_up_window_seconds", schedule.options.catch_up_window.count()},
          {"grace_seconds", schedule.options.grace.count()},
          {"deployment_id", schedule.options.deployment_id},
          {"paused", schedule.paused},
          {"next_fire_at", iso8601_or_null(schedule.next_fire_at)},
          {"last_tick_at", iso8601_or_null(schedule.last_tick_at)},
          {"last_run_id", schedule.last_run_id.empty() ? Json() : Json(schedule.last_run_id)},
          {"buffered_tick_at", iso8601_or_null(schedule.buffered_tick_at)},
          {"skipped_count", schedule.skipped_count},
          {"created_at", iso8601(schedule.created_at)},
          {"updated_at", iso8601(schedule.updated_at)}};
}

ScheduleInfo require_schedule(const std::string& name) {
  check_id(name, "the schedule name");
  auto schedule = get_schedule(name);
  if (!schedule) throw ScheduleNotFoundError(name);
  return *schedule;
}

std::chrono::seconds seconds_field(const Json& request, const char* name, std::chrono::seconds fallback) {
  auto found = request.find(name);
  if (found == request.end() || found->is_null()) return fallback;
  if (!found->is_number_integer() || found->get<std::int64_t>() < 0)
    throw BadRequest(std::string("\"") + name + "\" must be a whole number of seconds, 0 or more");
  return std::chrono::seconds(found->get<std::int64_t>());
}

const char* to_text(ScheduleChange change) {
  switch (change) {
    case ScheduleChange::created: return "created";
    case ScheduleChange::updated: return "updated";
    case ScheduleChange::unchanged: return "unchanged";
  }
  return "unchanged";
}

std::string text_or_dash(const Json& value) { return value.is_string() ? value.get<std::string>() : "-"; }

void print_schedules(const Json& list, std::FILE* out) {
  TextTable table({"NAME", "STATE", "SCHEDULE", "NEXT FIRE", "LAST RUN", "SKIPPED", "WORKFLOW"});
  for (const auto& schedule : list.at("schedules"))
    table.add({text_or_dash(schedule.at("name")), schedule.at("paused").get<bool>() ? "paused" : "active",
               text_or_dash(schedule.at("description")), text_or_dash(schedule.at("next_fire_at")),
               text_or_dash(schedule.at("last_run_id")), std::to_string(schedule.at("skipped_count").get<std::int64_t>()),
               text_or_dash(schedule.at("workflow"))});
  table.print(out);
}

void print_schedule(const Json& schedule, std::FILE* out) {
  auto line = [&](const char* label, const std::string& value) { std::fprintf(out, "%-18s %s\n", label, value.c_str()); };
  line("name", text_or_dash(schedule.at("name")));
  line("state", schedule.at("paused").get<bool>() ? "paused" : "active");
  line("schedule", text_or_dash(schedule.at("description")));
  line("workflow", text_or_dash(schedule.at("workflow")));
  line("arguments", schedule.at("args").dump());
  line("deployment", schedule.at("deployment_id").get<std::string>().empty() ? "latest registering the workflow"
                                                                               : schedule.at("deployment_id").get<std::string>());
  line("overlap", text_or_dash(schedule.at("overlap")));
  line("catch-up", schedule.at("catch_up").get<std::string>() + " (window " +
                       std::to_string(schedule.at("catch_up_window_seconds").get<std::int64_t>()) + " s, grace " +
                       std::to_string(schedule.at("grace_seconds").get<std::int64_t>()) + " s)");
  line("last tick", text_or_dash(schedule.at("last_tick_at")));
  std::string last_run = text_or_dash(schedule.at("last_run_id"));
  if (schedule.contains("last_run_status")) last_run += " (" + text_or_dash(schedule.at("last_run_status")) + ")";
  line("last run", last_run);
  line("buffered tick", text_or_dash(schedule.at("buffered_tick_at")));
  line("skipped ticks", std::to_string(schedule.at("skipped_count").get<std::int64_t>()));
  const char* label = "next fire times";
  for (const auto& time : schedule.at("next_fire_times")) line(std::exchange(label, ""), time.get<std::string>());
  if (*label) line(label, "none");
}

}  // namespace

Json list_schedules_json() {
  Json list = Json::array();
  for (const auto& schedule : list_schedules()) list.push_back(to_json(schedule));
  return {{"schedules", std::move(list)}};
}

Json schedule_json(const std::string& name, std::size_t count) {
  auto schedule = require_schedule(name);
  auto document = to_json(schedule);
  Json times = Json::array();
  try {
    for (auto time : next_fire_times(schedule.options.spec, schedule.options.time_zone, std::chrono::system_clock::now(),
                                     count))
      times.push_back(iso8601(time));
  } catch (const ScheduleSpecError&) {
    // Its description says why.
  }
  document["next_fire_times"] = std::move(times);
  if (!schedule.last_run_id.empty()) {
    auto run = get_run(schedule.last_run_id);
    document["last_run_status"] = run.exists() ? Json(std::string(to_string(run.status()))) : Json();
  }
  return document;
}

Json declare_schedule_json(const Json& request) {
  auto name = string_field(request, "name", true);
  check_id(name, "the schedule name");
  auto workflow_id = string_field(request, "workflow", true);
  ScheduleOptions options;
  options.spec = string_field(request, "spec", true);
  options.time_zone = string_field(request, "time_zone", false);
  if (auto overlap = string_field(request, "overlap", false); !overlap.empty())
    options.overlap = parse_overlap_policy(overlap);
  if (auto catch_up = string_field(request, "catch_up", false); !catch_up.empty())
    options.catch_up = parse_catch_up_policy(catch_up);
  options.catch_up_window = seconds_field(request, "catch_up_window_seconds", options.catch_up_window);
  options.grace = seconds_field(request, "grace_seconds", options.grace);
  options.deployment_id = string_field(request, "deployment_id", false);
  if (request.contains("paused")) {
    if (!request.at("paused").is_boolean()) throw BadRequest("\"paused\" must be true or false");
    options.paused = request.at("paused").get<bool>();
  }
  Json arguments = request.value("args", Json::array());
  if (!arguments.is_array()) throw BadRequest("\"args\" must be a JSON array, one element per parameter");
  auto change = schedule_by_id(name, workflow_id, std::move(arguments), options);
  return {{"change", to_text(change)}, {"schedule", schedule_json(name)}};
}

Json control_schedule_json(const std::string& name, const std::string& action) {
  check_id(name, "the schedule name");
  if (action == "pause") {
    pause_schedule(name);
  } else if (action == "resume") {
    resume_schedule(name);
  } else if (action == "trigger") {
    auto run = trigger_schedule(name);
    return {{"run_id", run.run_id()}, {"schedule", schedule_json(name)}};
  } else {
    throw BadRequest("unknown schedule action '" + action + "' (pause, resume or trigger)");
  }
  return {{"schedule", schedule_json(name)}};
}

Json delete_schedule_json(const std::string& name) {
  check_id(name, "the schedule name");
  if (!delete_schedule(name)) throw ScheduleNotFoundError(name);
  return {{"deleted", true}};
}

std::vector<Route> schedule_routes() {
  auto name = [](const RouteContext& context) { return context.captures.at(0); };
  auto body = [](const RouteContext& context) {
    if (context.request.body.empty()) throw BadRequest("the request needs a JSON body");
    auto request = parse_json(context.request.body, "the request body");
    if (!request.is_object()) throw BadRequest("the request body must be a JSON object");
    return request;
  };
  auto control = [name](const char* action) {
    return [name, action](const RouteContext& context) {
      return json_response(200, control_schedule_json(name(context), action));
    };
  };
  return {
      {"GET", {"api", "schedules"}, Access::api, [](const RouteContext&) { return json_response(200, list_schedules_json()); }},
      {"POST", {"api", "schedules"}, Access::api,
       [body](const RouteContext& context) {
         auto result = declare_schedule_json(body(context));
         return json_response(result.at("change") == "created" ? 201 : 200, result);
       }},
      {"GET", {"api", "schedules", "*"}, Access::api,
       [name](const RouteContext& context) {
         std::size_t count = 5;
         if (auto text = context.parameter("count")) {
           try {
             count = std::stoul(*text);
           } catch (const std::exception&) {
             throw BadRequest("'count' must be a number from 0 to 100");
           }
           if (count > 100) throw BadRequest("'count' must be a number from 0 to 100");
         }
         return json_response(200, schedule_json(name(context), count));
       }},
      {"DELETE", {"api", "schedules", "*"}, Access::api,
       [name](const RouteContext& context) { return json_response(200, delete_schedule_json(name(context))); }},
      {"POST", {"api", "schedules", "*", "pause"}, Access::api, control("pause")},
      {"POST", {"api", "schedules", "*", "resume"}, Access::api, control("resume")},
      {"POST", {"api", "schedules", "*", "trigger"}, Access::api, control("trigger")},
  };
}

void add_schedule_commands(CLI::App& app, bool& reads_only, const bool& json, std::function<int()>& command) {
  auto* schedules = app.add_subcommand("schedules", "schedules: list, show, create, pause, resume, trigger, delete")
                        ->require_subcommand(1);
  auto emit = [&json](const Json& document, void (*render)(const Json&, std::FILE*)) {
    if (json) std::printf("%s\n", json_text(document, 2).c_str());
    else render(document, stdout);
    return exit_code::ok;
  };
  schedules->add_subcommand("list", "every schedule with its state, next fire time and last run")->callback([&, emit] {
    reads_only = true;
    command = [emit] { return emit(list_schedules_json(), print_schedules); };
  });

  // The options' values outlive this function: CLI11 fills them when `app` parses, later.
  static std::string name;
  static std::size_t count = 5;
  auto* show = schedules->add_subcommand("show", "a schedule: policies, last run, skipped ticks, next fire times");
  show->add_option("name", name, "the schedule's name")->required();
  show->add_option("--count", count, "how many next fire times (default 5)")->check(CLI::Range(0, 100));
  show->callback([&, emit] {
    reads_only = true;
    command = [emit] { return emit(schedule_json(name, count), print_schedule); };
  });

  static Json request;
  static std::string workflow_id, spec, time_zone, overlap, catch_up, args_text = "[]", deployment;
  static std::int64_t window_seconds = -1, grace_seconds = -1;
  static bool paused = false;
  auto* create = schedules->add_subcommand("create", "declare a schedule (idempotent: an unchanged one stays as it is)");
  create->add_option("name", name, "letters, digits, '.', '_' and '-'")->required();
  create->add_option("workflow-id", workflow_id, "the workflow's stable ID (see wf workflows list)")->required();
  create->add_option("--spec", spec, "a cron expression (5 or 6 fields, @daily, ...) or '@every 30s'")->required();
  create->add_option("--args", args_text, "the arguments as a JSON array (default [])");
  create->add_option("--time-zone", time_zone, "an IANA time zone (default UTC)");
  create->add_option("--overlap", overlap, "skip (default), buffer_one or allow_all");
  create->add_option("--catch-up", catch_up, "skip (default), last or all");
  create->add_option("--catch-up-window", window_seconds, "seconds back that catch-up 'all' reaches (default 3600)");
  create->add_option("--grace", grace_seconds, "seconds late a tick still always runs (default 60)");
  create->add_option("--deployment", deployment, "pin runs to this deployment (default: the latest registering it)");
  create->add_flag("--paused", paused, "create it paused");
  create->callback([&, emit] {
    command = [emit, &json] {
      request = {{"name", name}, {"workflow", workflow_id}, {"spec", spec}, {"args", parse_json(args_text, "--args")},
                 {"time_zone", time_zone}, {"overlap", overlap}, {"catch_up", catch_up},
                 {"deployment_id", deployment}, {"paused", paused}};
      if (window_seconds >= 0) request["catch_up_window_seconds"] = window_seconds;
      if (grace_seconds >= 0) request["grace_seconds"] = grace_seconds;
      auto result = declare_schedule_json(request);
      if (json) {
        std::printf("%s\n", json_text(result, 2).c_str());
      } else {
        std::printf("%s %s\n", result.at("change").get<std::string>().c_str(), name.c_str());
        print_schedule(result.at("schedule"), stdout);
      }
      return exit_code::ok;
    };
  });

  for (const char* action : {"pause", "resume", "trigger"}) {
    auto* sub = schedules->add_subcommand(action, std::string(action) == "trigger"
                                                      ? "start a run of the schedule now; prints its ID"
                                                      : std::string(action) + " the schedule");
    sub->add_option("name", name, "the schedule's name")->required();
    sub->callback([&, emit, action] {
      command = [emit, action, &json] {
        auto result = control_schedule_json(name, action);
        if (std::string(action) == "trigger" && !json) {
          std::printf("%s\n", result.at("run_id").get<std::string>().c_str());
          return exit_code::ok;
        }
        return emit(result, [](const Json& document, std::FILE* out) { print_schedule(document.at("schedule"), out); });
      };
    });
  }
  auto* remove = schedules->add_subcommand("delete", "delete the schedule (the runs it started go on)");
  remove->add_option("name", name, "the schedule's name")->required();
  remove->callback([&, emit] {
    command = [emit] {
      auto result = delete_schedule_json(name);
      return emit(result, [](const Json&, std::FILE* out) { std::fprintf(out, "deleted %s\n", name.c_str()); });
    };
  });
}

}  // namespace workflow::ops
