// The JSON shapes the CLI (--json) and the REST API share, specified in docs/rest-api.md.
#pragma once

#include <workflow/inspect.hpp>
#include <workflow/queues.hpp>
#include <workflow/run.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace workflow::ops {

/// `2026-12-01T23:11:40.123Z`.
std::string iso8601(TimePoint time);
/// The ISO 8601 string, or JSON null.
Json iso8601_or_null(const std::optional<TimePoint>& time);
/// Parses what iso8601() writes (seconds fraction optional); nothing if it is not that.
std::optional<TimePoint> parse_iso8601(std::string_view text);

/// Serializes for output. Text a journal holds that is not valid UTF-8 (written by other code)
/// comes out as U+FFFD instead of failing the whole response.
std::string json_text(const Json& value, int indent = -1);

Json to_json(const WorkflowInfo& workflow);
Json to_json(const RunSummary& run);
Json to_json(const QueueInfo& queue);
Json to_json(const RunDetails& run);
Json to_json(const StreamInfo& stream);
Json to_json(const RunEvent& event, std::int64_t sequence);

}  // namespace workflow::ops
