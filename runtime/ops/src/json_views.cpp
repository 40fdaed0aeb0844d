// JSON views of the inspection API's records.
#include "json_views.hpp"

#include <workflow/detail/time_text.hpp>

#include <ctime>

namespace workflow::ops {
namespace {

Json string_or_null(const std::string& text) { return text.empty() ? Json() : Json(text); }

// In double throughout: times read from a journal may lie centuries apart, and their difference
// in nanoseconds overflowed (found by test/fuzz/journal_record_fuzz.cpp).
double milliseconds_between(TimePoint from, TimePoint to) {
  using Milliseconds = std::chrono::duration<double, std::milli>;
  return (Milliseconds(to.time_since_epoch()) - Milliseconds(from.time_since_epoch())).count();
}

Json to_json(const StepAttempt& attempt) {
  return {{"attempt", attempt.attempt},
          {"started_at", iso8601(attempt.started_at)},
          {"ended_at", iso8601(attempt.ended_at)},
          {"duration_ms", milliseconds_between(attempt.started_at, attempt.ended_at)},
          {"outcome", attempt.outcome},
          {"error", string_or_null(attempt.error)},
          {"abandoned", attempt.abandoned}};
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

std::string iso8601(TimePoint time) { return detail::rfc3339_millis(time); }

Json iso8601_or_null(const std::optional<TimePoint>& time) { return time ? Json(iso8601(*time)) : Json(); }

std::optional<TimePoint> parse_iso8601(std::string_view text) {
  // Digits exactly where iso8601() writes them: sscanf's %2d also took "-1" and " 1" (found by
  // test/fuzz/run_query_fuzz.cpp).
  constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
  if (text.size() < kShape.size()) return std::nullopt;
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    bool digit = text[i] >= '0' && text[i] <= '9';
    if (kShape[i] == 'd' ? !digit : text[i] != kShape[i]) return std::nullopt;
  }
  auto field = [&](std::size_t at, std::size_t length) {
    int value = 0;
    for (std::size_t i = at; i < at + length; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  int year = field(0, 4), month = field(5, 2), day = field(8, 2);
  int hour = field(11, 2), minute = field(14, 2), second = field(17, 2);
  bool leap_year = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1] + (month == 2 && leap_year) || hour > 23 ||
      minute > 59 || second > 60)
    return std::nullopt;
  std::tm utc{};
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
  // A time point holds about the years 1678 to 2262; converting a time outside overflowed.
  constexpr auto kLimit = std::chrono::duration_cast<std::chrono::seconds>(Clock::duration::max()).count() - 1;
  auto seconds = timegm(&utc);
  if (seconds > kLimit || seconds < -kLimit) return std::nullopt;
  return Clock::from_time_t(seconds) + std::chrono::microseconds(micros);
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
          {"updated_at", iso8601(run.updated_at)},
          {"queue", string_or_null(run.queue)},
          {"position", run.position > 0 ? Json(run.position) : Json()},
          {"kept", run.kept}};
}

Json to_json(const QueueInfo& queue) {
  const auto& limits = queue.options;
  auto limit = [](int value) { return value > 0 ? Json(value) : Json(); };
  return {{"name", queue.name},
          {"concurrency", limit(limits.concurrency)},
          {"worker_concurrency", limit(limits.worker_concurrency)},
          {"rate_limit", limits.rate_limit.count > 0
                             ? Json{{"count", limits.rate_limit.count}, {"period_ms", limits.rate_limit.period.count()}}
                             : Json()},
          {"partition_concurrency", limit(limits.partition_concurrency)},
          {"waiting", queue.waiting},
          {"active", queue.active}};
}

Json to_json(const StreamInfo& stream) {
  return {{"namespace", stream.name_space}, {"length", stream.length}, {"closed", stream.closed}};
}

Json to_json(const RunDetails& run) {
  Json json = to_json(run.summary);
  json["input"] = run.input;
  json["output"] = run.output;
  json["error"] = run.error;
  if (!run.damage.empty()) json["damage"] = run.damage;
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
