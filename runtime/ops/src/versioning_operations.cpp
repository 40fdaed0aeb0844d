// See versioning_operations.hpp.
#include "versioning_operations.hpp"

#include "error_report.hpp"
#include "operations.hpp"

#include <workflow/run_status.hpp>
#include <workflow/upgrade.hpp>

namespace workflow::ops {
namespace {

bool bool_field(const Json& request, const char* name) {
  auto found = request.find(name);
  if (found == request.end() || found->is_null()) return false;
  if (!found->is_boolean()) throw BadRequest(std::string("\"") + name + "\" must be true or false");
  return found->get<bool>();
}

Json divergence_json(const std::optional<ReplayDivergence>& divergence) {
  if (!divergence) return nullptr;
  return {{"correlation_id", divergence->correlation_id},
          {"position", divergence->position},
          {"recorded", divergence->recorded},
          {"now", divergence->now},
          {"source_location", divergence->source_location}};
}

}  // namespace

Json replay_check_json(const Json& request) {
  ReplayFilter filter;
  if (auto ids = request.find("run_ids"); ids != request.end() && !ids->is_null()) {
    if (!ids->is_array()) throw BadRequest("\"run_ids\" must be an array of run IDs");
    for (const auto& id : *ids) {
      if (!id.is_string()) throw BadRequest("\"run_ids\" must be an array of run IDs");
      check_id(id.get<std::string>(), "a run ID");
      filter.run_ids.push_back(id.get<std::string>());
    }
  }
  filter.workflow = string_field(request, "workflow", false);
  filter.deployment = string_field(request, "deployment", false);
  if (auto status = string_field(request, "status", false); !status.empty()) {
    filter.status = parse_run_status(status);
    if (!filter.status) throw BadRequest("\"status\": no run status '" + status + "'");
  }
  filter.unfinished_only = bool_field(request, "unfinished");
  if (auto limit = request.find("limit"); limit != request.end() && !limit->is_null()) {
    if (!limit->is_number_unsigned()) throw BadRequest("\"limit\" must be a number of runs, 1-100000");
    filter.limit = limit->get<std::size_t>();
  }
  auto report = check_replay(filter);
  Json runs = Json::array();
  for (const auto& run : report.runs) {
    runs.push_back({{"run_id", run.run_id},
                    {"workflow", run.workflow},
                    {"deployment_id", run.deployment_id},
                    {"status", to_string(run.status)},
                    {"verdict", to_string(run.verdict)},
                    {"calls_replayed", run.calls_replayed},
                    {"divergence", divergence_json(run.divergence)},
                    {"message", run.message}});
  }
  using Verdict = ReplayResult::Verdict;
  return {{"compatible", report.compatible()},
          {"counts",
           {{"compatible", report.count(Verdict::compatible)},
            {"incompatible", report.count(Verdict::incompatible)},
            {"unchecked", report.count(Verdict::unchecked)}}},
          {"runs", runs}};
}

Json upgrade_json(const Json& request) {
  UpgradeOptions options;
  options.from = string_field(request, "from", true);
  check_id(options.from, "the deployment to upgrade from");
  if (auto to = string_field(request, "to", false); !to.empty()) {
    check_id(to, "the deployment to upgrade to");
    options.to = to;
  }
  options.dry_run = bool_field(request, "dry_run");
  options.workflow = string_field(request, "workflow", false);
  auto report = upgrade_runs(options);
  Json runs = Json::array();
  for (const auto& run : report.runs) {
    runs.push_back({{"run_id", run.run_id},
                    {"workflow", run.workflow},
                    {"status", to_string(run.status)},
                    {"moved", run.moved},
                    {"reason", run.reason},
                    {"divergence", divergence_json(run.divergence)}});
  }
  return {{"from", report.from}, {"to", report.to}, {"dry_run", report.dry_run},
          {"moved", report.moved()}, {"runs", runs}};
}

}  // namespace workflow::ops
