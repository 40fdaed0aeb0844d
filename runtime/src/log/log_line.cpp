// Formatting log records as lines of text or JSON.
#include "log/log_line.hpp"

#include <workflow/detail/time_text.hpp>

#include <cstdio>

namespace workflow::detail {
namespace {

// Control characters and DEL as escapes, so that a value never breaks the line.
void append_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      default:
        if (byte < 0x20 || byte == 0x7f) {
          char hex[8];
          std::snprintf(hex, sizeof hex, "\\x%02x", byte);
          out += hex;
        } else {
          out += c;
        }
    }
  }
}

bool needs_quotes(std::string_view value) {
  if (value.empty()) return true;
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f || c == '"' || c == '=' || c == '\\') return true;
  }
  return false;
}

void append_text(std::string& out, std::string_view key, std::string_view value) {
  out += ' ';
  out += key;
  out += '=';
  if (!needs_quotes(value)) {
    out += value;
    return;
  }
  out += '"';
  append_escaped(out, value);
  out += '"';
}

void append_value(std::string& out, std::string_view key, const nlohmann::ordered_json& value) {
  if (value.is_string()) return append_text(out, key, value.get_ref<const std::string&>());
  append_text(out, key, value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

std::string text_line(const LogRecord& record) {
  std::string line(record.component);
  line += ": ";
  // The message is the line's prose: escaped, never quoted.
  for (char c : record.message) {
    if (c == '"' || c == '\\') line += c;
    else append_escaped(line, std::string_view(&c, 1));
  }
  if (!record.workflow.empty()) append_text(line, "workflow", record.workflow);
  if (!record.step.empty()) append_text(line, "step", record.step);
  if (!record.correlation_id.empty()) append_text(line, "correlation_id", record.correlation_id);
  if (record.attempt) append_text(line, "attempt", std::to_string(*record.attempt));
  if (record.run_attempt) append_text(line, "run_attempt", std::to_string(*record.run_attempt));
  for (const auto& [key, value] : record.fields) append_value(line, key, value);
  if (!record.error.empty()) append_text(line, "error", record.error);
  line += '\n';
  return line;
}

std::string json_line(const LogRecord& record, std::chrono::system_clock::time_point at) {
  nlohmann::ordered_json line;
  line["ts"] = rfc3339_millis(at);
  line["level"] = to_string(record.level);
  if (!record.event.empty()) line["event"] = record.event;
  line["msg"] = record.message;
  if (!record.run_id.empty()) line["run_id"] = record.run_id;
  if (!record.workflow.empty()) line["workflow"] = record.workflow;
  if (!record.step.empty()) line["step"] = record.step;
  if (!record.correlation_id.empty()) line["correlation_id"] = record.correlation_id;
  if (record.attempt) line["attempt"] = *record.attempt;
  if (record.run_attempt) line["run_attempt"] = *record.run_attempt;
  if (!record.error.empty()) line["error"] = record.error;
  for (const auto& [key, value] : record.fields) line[key] = value;
  // Not UTF-8 (an error message quoting binary data, an odd run ID): U+FFFD, never an exception.
  std::string text = line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  text += '\n';
  return text;
}

}  // namespace

std::string_view to_string(LogLevel level) {
  switch (level) {
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warn: return "warn";
    case LogLevel::error: return "error";
    case LogLevel::off: return "off";
  }
  return "off";
}

std::string_view to_string(LogFormat format) { return format == LogFormat::json ? "json" : "text"; }

std::string format_log_line(const LogRecord& record, LogFormat format, std::chrono::system_clock::time_point at) {
  return format == LogFormat::json ? json_line(record, at) : text_line(record);
}

}  // namespace workflow::detail
