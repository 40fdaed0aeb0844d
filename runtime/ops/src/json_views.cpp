// JSON views of the inspection API's records.
#include "json_views.hpp"

#include <cstdio>
#include <ctime>

namespace workflow::ops {
namespace {

Json string_or_null(const std::string& text) { return text.empty() ? Json() : Json(text); }

double milliseconds_between(TimePoint from, TimePoint to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

Json to_json(const StepAttempt& attempt) {
  return {{"attempt", attempt.attempt},
          {"started_at", iso8601(attempt.started_at)},
          {"ended_at", iso8601(attempt.ended_at)},
          {"duration_ms", milliseconds_between(attempt.started_at, attempt.ended_at)},
          {"outcome", attempt.outcome},
          {"error", string_or_null(attempt.error)}};
}

Json to_json(const TimelineEntry& entry) {
  Json attempts = Json::array();
  for (const auto& attempt : entry.attempts) attempts.push_back(to_json(attempt));
  Json json = {{"correlation_id", entry.correlation_id},
               {"kind", entry.kind},
               {"name", entry.name},
               {"status", entry.status},
               {"started_at", iso8601_or_null(entry.started_at)},
               {"ended_at", iso8601_or_null(entry.ended_at)},
               {"duration_ms", entry.started_at && entry.ended_at
                                   ? Json(milliseconds_between(*entry.started_at, *entry.ended_at))
                                   : Json()},
               {"attempts", std::move(attempts)}};
  if (entry.kind == "child") json["child_run_id"] = entry.child_run_id;
  return json;
}

}  // namespace

std::string iso8601(TimePoint time) {
  auto since_epoch = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(since_epoch / 1000);
  int millis = static_cast<int>(since_epoch % 1000);
  if (millis < 0) {
    millis += 1000;
    --seconds;
  }
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[80];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
  return text;
}

Json iso8601_or_null(const std::optional<TimePoint>& time) { return time ? Json(iso8601(*time)) : Json(); }

std::optional<TimePoint> parse_iso8601(std::string_view text) {
  std::tm utc{};
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, consumed = 0;
  std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute, &second,
                  &consumed) != 6 || consumed != 19)
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  std::string_view rest = text.substr(19);
  long micros = 0;
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    int digits = 0;
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') {
      if (digits < 6) micros = micros * 10 + (rest.front() - '0'), ++digits;
      rest.remove_prefix(1);
    }
    if (digits == 0) return std::nullopt;
    while (digits++ < 6) micros *= 10;
  }
  if (rest != "Z" && rest != "+00:00") return std::nullopt;
  utc.tm_year = year - 1900;
  utc.tm_mon = month - 1;
  utc.tm_mday = day;
  utc.tm_hour = hour;
  utc.tm_min = minute;
  utc.tm_sec = second;
  return Clock::from_time_t(timegm(&utc)) + std::chrono::microseconds(micros);
}

std::string json_text(const Json& value, int indent) {
  return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

Json to_json(const WorkflowInfo& workflow) {
  return {{"id", workflow.id}, {"deployment_id", workflow.deployment_id}, {"registered_at", iso8601(workflow.registered_at)}};
}

Json to_json(const RunSummary& run) {
  return {{"id", run.id},
          {"workflow", run.workflow},
          {"status", std::string(to_string(run.status))},
          {"deployment_id", run.deployment_id},
          {"parent_run_id", string_or_null(run.parent_run_id)},
          {"created_at", iso8601(run.created_at)},
          {"started_at", iso8601_or_null(run.started_at)},
          {"completed_at", iso8601_or_null(run.completed_at)},
          {"updated_at", iso8601(run.updated_at)}};
}

Json to_json(const StreamInfo& stream) {
  return {{"namespace", stream.name_space}, {"length", stream.length}, {"closed", stream.closed}};
}

Json to_json(const RunDetails& run) {
  Json json = to_json(run.summary);
  json["input"] = run.input;
  json["output"] = run.output;
  json["error"] = run.error;
  json["streams"] = Json::array();
  for (const auto& stream : run.streams) json["streams"].push_back(to_json(stream));
  json["timeline"] = Json::array();
  for (const auto& entry : run.timeline) json["timeline"].push_back(to_json(entry));
  return json;
}

Json to_json(const RunEvent& event, std::int64_t sequence) {
  return {{"id", sequence},
          {"type", event.type},
          {"correlation_id", event.correlation_id},
          {"step_name", event.step_name},
          {"data", event.data},
          {"created_at", iso8601(event.created_at)}};
}

}  // namespace workflow::ops
