// The schedule operations of the CLI (`wf schedules ...`) and the REST API (/api/schedules), once:
// input checked, the public API (<workflow/schedules.hpp>) called, the result as the JSON of
// docs/rest-api.md ("Schedules"). The CLI's commands and the API's routes are declared here too.
#pragma once

#include "api_routes.hpp"

#include <workflow/serialization.hpp>

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace workflow::ops {

/// `{"schedules": [...]}`, by name.
Json list_schedules_json();
/// One schedule with its next `count` fire times (`next_fire_times`) and its last run's status.
Json schedule_json(const std::string& name, std::size_t count = 5);
/// Declares a schedule from `{"name", "workflow", "spec", "args"?, "time_zone"?, "overlap"?,
/// "catch_up"?, "catch_up_window_seconds"?, "grace_seconds"?, "deployment_id"?, "paused"?}` as
/// workflow::schedule does (idempotent); returns `{"change": "created"|"updated"|"unchanged",
/// "schedule": ...}`.
Json declare_schedule_json(const Json& request);
/// `pause` or `resume`; returns `{"schedule": ...}`. `trigger` returns `{"run_id", "schedule"}`.
Json control_schedule_json(const std::string& name, const std::string& action);
/// Returns `{"deleted": true}`; ScheduleNotFoundError when there was none.
Json delete_schedule_json(const std::string& name);

/// The /api/schedules routes.
std::vector<Route> schedule_routes();

/// Adds `wf schedules list|show|create|pause|resume|trigger|delete` to `app`. A chosen command
/// sets `reads_only` (whether it only reads) and stores itself in `command`; `json` is --json.
void add_schedule_commands(CLI::App& app, bool& reads_only, const bool& json, std::function<int()>& command);

}  // namespace workflow::ops
