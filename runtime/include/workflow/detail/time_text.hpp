// Times as the tools print them: RFC 3339 in UTC with milliseconds, `2025-03-01T12:00:00.123Z`.
// One spelling for the log's lines (runtime/src/log/) and the JSON of `wf` and the REST API
// (runtime/ops/src/json_views.cpp), so that a time searched for in one is found in the other.
#pragma once

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace workflow::detail {

/// `at` in RFC 3339, UTC, with milliseconds; a time before 1970 too.
inline std::string rfc3339_millis(std::chrono::system_clock::time_point at) {
  auto since_epoch = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
  auto seconds = static_cast<std::time_t>(since_epoch / 1000);
  auto millis = static_cast<int>(since_epoch % 1000);
  if (millis < 0) {
    millis += 1000;
    --seconds;
  }
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
  return text;
}

}  // namespace workflow::detail
