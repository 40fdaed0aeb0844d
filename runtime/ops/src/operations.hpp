// The operations of the CLI and the REST API, once: input checked, the public API called, the
// result as the JSON documented in docs/rest-api.md. The CLI renders it as tables (or prints it
// with --json); the server sends it. Errors are thrown as classified by error_report.hpp.
#pragma once

#include <workflow/inspect.hpp>
#include <workflow/serialization.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace workflow::ops {

/// Throws BadRequest unless `id` is a plausible run or workflow ID: 1-256 bytes, no control
/// characters. (Anything else is looked up as given: IDs only ever reach the journal as bound
/// parameters.)
void check_id(const std::string& id, const char* what);

/// A time as an operator gives it: ISO 8601 (`2026-12-01T10:00:00Z`) or a duration back from now
/// (`30s`, `15m`, `2h`, `7d`); throws BadRequest naming the parameter `what`.
TimePoint parse_time_or_age(const std::string& text, const char* what);

/// Builds a run query from named parameters (`status`, `workflow`, `since`, `limit`, `cursor`),
/// as given in a URL or on the command line; throws BadRequest for values that do not parse.
RunQuery parse_run_query(const std::function<std::optional<std::string>(const char* name)>& parameter);

/// The string member `name` of a request body; empty when absent or null. Throws BadRequest
/// when it is another type, or absent and `required`.
std::string string_field(const Json& request, const char* name, bool required);

/// Parses a JSON document an operator typed or sent; throws BadRequest naming `what`.
Json parse_json(const std::string& text, const char* what);

Json list_workflows_json();
/// `{"runs": [...], "next_cursor": ...}`.
Json list_runs_json(const RunQuery& query);
Json run_json(const std::string& run_id);
Json run_summary_json(const std::string& run_id);
Json run_events_json(const std::string& run_id);
Json run_streams_json(const std::string& run_id);

/// Starts a run from `{"workflow", "args", "id"?, "deployment_id"?}`; returns
/// `{"run": RunSummary, "note": ...}`.
Json start_run_json(const Json& request);

/// Starts up to 10,000 runs in one commit from `{"workflow", "runs": [{"args", "id"?}...],
/// "deployment_id"?}`; returns `{"workflow", "started": N, "run_ids": [...]}` in order.
Json start_batch_json(const Json& request);

/// `cancel`, `pause`, `resume` or `restart`; returns `{"run": RunSummary}`.
Json control_run_json(const std::string& run_id, const std::string& action);
/// Returns `{"woken": N, "run": RunSummary}`.
Json wake_up_json(const std::string& run_id, const std::vector<std::string>& correlation_ids);
/// Returns `{"run": RunSummary}`.
Json send_event_json(const std::string& run_id, const std::string& type, const Json& payload);

}  // namespace workflow::ops
