// Tables and run reports for the CLI.
#include "cli_output.hpp"

#include "text_table.hpp"
#include "json_views.hpp"

#include <cstdio>

namespace workflow::ops {
namespace {

std::string text(const Json& value) {
  if (value.is_null()) return "-";
  if (value.is_string()) return value.get<std::string>();
  return json_text(value);
}

// `2026-12-01T23:11:40.123Z` -> `2026-12-01 23:11:40`
std::string when(const Json& value) {
  if (!value.is_string()) return "-";
  auto time = value.get<std::string>();
  if (time.size() >= 19) time = time.substr(0, 10) + " " + time.substr(11, 8);
  return time;
}

std::string milliseconds(const Json& value) {
  if (!value.is_number()) return "-";
  double ms = value.get<double>();
  char out[32];
  if (ms < 1000) std::snprintf(out, sizeof out, "%.1f ms", ms);
  else std::snprintf(out, sizeof out, "%.2f s", ms / 1000);
  return out;
}

std::string clip(std::string line, std::size_t width) {
  if (line.size() > width) line = line.substr(0, width - 3) + "...";
  return line;
}

}  // namespace

std::string short_name(const std::string& stable_id) {
  auto cut = stable_id.rfind("//");
  return cut == std::string::npos ? stable_id : stable_id.substr(cut + 2);
}

void print_workflows(const Json& workflows, std::FILE* out) {
  TextTable table({"WORKFLOW", "ID", "DEPLOYMENT", "REGISTERED"});
  for (const auto& workflow : workflows.at("workflows")) {
    auto id = workflow.at("id").get<std::string>();
    table.add({short_name(id), id, text(workflow.at("deployment_id")), when(workflow.at("registered_at"))});
  }
  table.print(out);
}

namespace {

// `emails #3` for a run waiting third in its queue, `emails` once dequeued, `-` outside a queue.
std::string queue_place(const Json& run) {
  if (run.at("queue").is_null()) return "-";
  auto place = text(run.at("queue"));
  if (!run.at("position").is_null()) place += " #" + text(run.at("position"));
  return place;
}

}  // namespace

void print_runs(const Json& page, std::FILE* out) {
  TextTable table({"RUN", "WORKFLOW", "STATUS", "QUEUE", "CREATED", "COMPLETED"});
  for (const auto& run : page.at("runs"))
    table.add({text(run.at("id")), short_name(text(run.at("workflow"))), text(run.at("status")), queue_place(run),
               when(run.at("created_at")), when(run.at("completed_at"))});
  table.print(out);
  if (page.at("runs").empty()) std::fprintf(out, "(no runs)\n");
  if (page.at("next_cursor").is_string())
    std::fprintf(out, "more: --cursor %s\n", page.at("next_cursor").get<std::string>().c_str());
}

void print_run(const Json& run, std::FILE* out) {
  std::fprintf(out, "run        %s\n", text(run.at("id")).c_str());
  std::fprintf(out, "workflow   %s\n", text(run.at("workflow")).c_str());
  std::fprintf(out, "status     %s\n", text(run.at("status")).c_str());
  std::fprintf(out, "deployment %s\n", text(run.at("deployment_id")).c_str());
  if (!run.at("parent_run_id").is_null()) std::fprintf(out, "parent     %s\n", text(run.at("parent_run_id")).c_str());
  if (!run.at("queue").is_null()) std::fprintf(out, "queue      %s\n", queue_place(run).c_str());
  std::fprintf(out, "created    %s\n", when(run.at("created_at")).c_str());
  std::fprintf(out, "started    %s\n", when(run.at("started_at")).c_str());
  std::fprintf(out, "completed  %s\n", when(run.at("completed_at")).c_str());
  if (run.value("kept", false)) std::fprintf(out, "kept       yes: retention never deletes it\n");
  std::fprintf(out, "arguments  %s\n", json_text(run.at("input")).c_str());
  if (run.contains("damage")) std::fprintf(out, "damaged    %s\n", text(run.at("damage")).c_str());
  if (!run.at("output").is_null()) std::fprintf(out, "result     %s\n", json_text(run.at("output")).c_str());
  if (!run.at("error").is_null())
    std::fprintf(out, "error      %s\n", text(run.at("error").value("message", Json(json_text(run.at("error"))))).c_str());
  for (const auto& stream : run.at("streams"))
    std::fprintf(out, "stream     %s: %lld chunks%s\n", text(stream.at("namespace")).c_str(),
                 static_cast<long long>(stream.at("length").get<std::int64_t>()),
                 stream.at("closed").get<bool>() ? ", closed" : "");
  std::fprintf(out, "\n");
  TextTable table({"CALL", "KIND", "NAME", "STATUS", "ATTEMPTS", "STARTED", "DURATION"});
  for (const auto& entry : run.at("timeline")) {
    auto name = text(entry.at("name"));
    if (entry.at("kind") == "step" || entry.at("kind") == "child") name = short_name(name);
    if (entry.contains("child_run_id")) name += " -> " + text(entry.at("child_run_id"));
    table.add({text(entry.at("correlation_id")), text(entry.at("kind")), name, text(entry.at("status")),
               entry.at("kind") == "step" ? std::to_string(entry.at("attempts").size()) : "-",
               when(entry.at("started_at")), milliseconds(entry.at("duration_ms"))});
  }
  table.print(out);
  if (run.at("timeline").empty()) std::fprintf(out, "(no calls journaled yet)\n");
  for (const auto& entry : run.at("timeline")) {
    for (const auto& attempt : entry.at("attempts")) {
      if (attempt.at("error").is_null()) continue;
      std::fprintf(out, "  %s attempt %d (%s, %s): %s\n", text(entry.at("correlation_id")).c_str(),
                   attempt.at("attempt").get<int>(), text(attempt.at("outcome")).c_str(),
                   milliseconds(attempt.at("duration_ms")).c_str(), text(attempt.at("error")).c_str());
    }
  }
}

void print_events(const Json& events, std::FILE* out) {
  TextTable table({"#", "TIME", "TYPE", "CALL", "DATA"});
  for (const auto& event : events.at("events")) {
    auto time = text(event.at("created_at"));
    if (time.size() >= 23) time = time.substr(11, 12);
    table.add({std::to_string(event.at("id").get<std::int64_t>()), time, text(event.at("type")),
               event.at("correlation_id").get<std::string>().empty() ? "-" : text(event.at("correlation_id")),
               clip(json_text(event.at("data")), 80)});
  }
  table.print(out);
}

void print_run_status(const Json& summary, std::FILE* out) {
  std::fprintf(out, "%s %s\n", text(summary.at("id")).c_str(), text(summary.at("status")).c_str());
}

namespace {

// `  at hook-2 (call #2): recorded a wait for event 'go', now calls step 'x' (orders.cpp:12)`
void print_divergence(const Json& divergence, std::FILE* out) {
  if (divergence.is_null()) return;
  std::string where = text(divergence.at("source_location"));
  std::fprintf(out, "    at %s (call #%lld): recorded %s, now %s%s\n", text(divergence.at("correlation_id")).c_str(),
               static_cast<long long>(divergence.at("position").get<std::int64_t>()),
               text(divergence.at("recorded")).c_str(), text(divergence.at("now")).c_str(),
               where.empty() ? "" : (" (" + where + ")").c_str());
}

}  // namespace

void print_replay_report(const Json& report, std::FILE* out) {
  for (const auto& run : report.at("runs")) {
    std::fprintf(out, "%-12s %s  %s  %s\n", text(run.at("verdict")).c_str(), text(run.at("run_id")).c_str(),
                 short_name(text(run.at("workflow"))).c_str(), text(run.at("status")).c_str());
    print_divergence(run.at("divergence"), out);
    if (run.at("verdict") == "unchecked") std::fprintf(out, "    %s\n", text(run.at("message")).c_str());
  }
  const auto& counts = report.at("counts");
  std::fprintf(out, "%lld compatible, %lld incompatible, %lld unchecked\n",
               static_cast<long long>(counts.at("compatible").get<std::int64_t>()),
               static_cast<long long>(counts.at("incompatible").get<std::int64_t>()),
               static_cast<long long>(counts.at("unchecked").get<std::int64_t>()));
}

void print_upgrade_report(const Json& report, std::FILE* out) {
  bool dry_run = report.at("dry_run").get<bool>();
  for (const auto& run : report.at("runs")) {
    bool moved = run.at("moved").get<bool>();
    std::fprintf(out, "%-12s %s  %s  %s\n", moved ? (dry_run ? "would move" : "moved") : "stays",
                 text(run.at("run_id")).c_str(), short_name(text(run.at("workflow"))).c_str(),
                 text(run.at("status")).c_str());
    if (!moved) std::fprintf(out, "    %s\n", text(run.at("reason")).c_str());
    print_divergence(run.at("divergence"), out);
  }
  std::fprintf(out, "%s%lld of %lld unfinished run(s) from %s to %s\n", dry_run ? "dry run: would move " : "moved ",
               static_cast<long long>(report.at("moved").get<std::int64_t>()),
               static_cast<long long>(report.at("runs").size()), text(report.at("from")).c_str(),
               text(report.at("to")).c_str());
}

void print_prune_report(const Json& report, std::FILE* out) {
  auto count = [&](const char* name) { return static_cast<long long>(report.at(name).get<std::int64_t>()); };
  bool dry_run = report.at("dry_run").get<bool>();
  std::string statuses;
  for (const auto& status : report.at("statuses")) statuses += (statuses.empty() ? "" : ", ") + text(status);
  std::fprintf(out, "%s%lld run(s) (%s) that ended before %s: %lld event(s), %lld stream chunk(s)",
               dry_run ? "dry run: would delete " : "deleted ", count("runs"), statuses.c_str(),
               text(report.at("finished_before")).c_str(), count("events"), count("stream_chunks"));
  if (!dry_run) std::fprintf(out, " in %lld batch(es), %lld ms", count("batches"), count("took_ms"));
  std::fprintf(out, "\n");
  const auto& journal = report.at("journal");
  std::fprintf(out, "journal %.1f MB", static_cast<double>(journal.at("bytes").get<std::int64_t>()) / 1e6);
  if (!journal.at("free_bytes").is_null())
    std::fprintf(out, ", of which %.1f MB free for new records",
                 static_cast<double>(journal.at("free_bytes").get<std::int64_t>()) / 1e6);
  std::fprintf(out, "\n");
}

}  // namespace workflow::ops
