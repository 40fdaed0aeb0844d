// The retention operations (retention_operations.hpp).
#include "retention_operations.hpp"

#include "error_report.hpp"
#include "json_views.hpp"
#include "operations.hpp"

#include <workflow/retention.hpp>

namespace workflow::ops {
namespace {

RunStatus final_status(const std::string& name) {
  auto status = parse_run_status(name);
  if (!status || !is_final(*status))
    throw BadRequest("cannot prune '" + name + "' runs: give completed, failed or cancelled");
  return *status;
}

// `"failed"`, `"failed,cancelled"` or `["failed", "cancelled"]`.
std::vector<RunStatus> statuses_of(const Json& request) {
  std::vector<RunStatus> statuses;
  auto found = request.find("status");
  if (found == request.end() || found->is_null()) return statuses;
  auto add_listed = [&](const std::string& text) {
    std::size_t begin = 0;
    while (begin <= text.size()) {
      auto end = std::min(text.find(',', begin), text.size());
      if (end > begin) statuses.push_back(final_status(text.substr(begin, end - begin)));
      begin = end + 1;
    }
  };
  if (found->is_string()) {
    add_listed(found->get<std::string>());
  } else if (found->is_array()) {
    for (const auto& item : *found) {
      if (!item.is_string()) throw BadRequest("\"status\" must be a string or a list of strings");
      statuses.push_back(final_status(item.get<std::string>()));
    }
  } else {
    throw BadRequest("\"status\" must be a string or a list of strings");
  }
  return statuses;
}

}  // namespace

Json prune_runs_json(const Json& request) {
  if (!request.is_object()) throw BadRequest("the request must be a JSON object");
  PruneOptions options;
  options.finished_before = parse_time_or_age(string_field(request, "finished_before", true), "finished_before");
  options.statuses = statuses_of(request);
  if (auto dry = request.find("dry_run"); dry != request.end() && !dry->is_null()) {
    if (!dry->is_boolean()) throw BadRequest("\"dry_run\" must be true or false");
    options.dry_run = dry->get<bool>();
  }
  auto report = prune_runs(options);
  Json statuses = Json::array();
  for (auto status : options.statuses) statuses.push_back(std::string(to_string(status)));
  if (statuses.empty()) statuses = {"completed", "failed", "cancelled"};
  auto usage = journal_usage();
  return {{"dry_run", options.dry_run},
          {"finished_before", iso8601(options.finished_before)},
          {"statuses", std::move(statuses)},
          {"runs", report.runs},
          {"events", report.events},
          {"stream_chunks", report.stream_chunks},
          {"batches", report.batches},
          {"took_ms", report.took.count()},
          {"journal", {{"bytes", usage.bytes}, {"free_bytes", usage.free_bytes >= 0 ? Json(usage.free_bytes) : Json()}}}};
}

Json keep_run_json(const std::string& run_id, bool keep) {
  check_id(run_id, "the run ID");
  keep_run(run_id, keep);
  return {{"run", run_summary_json(run_id)}};
}

}  // namespace workflow::ops
