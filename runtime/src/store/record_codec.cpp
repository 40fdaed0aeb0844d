// Checksums and bounded decoding of journal records.
#include "store/record_codec.hpp"

#include "store/event_payloads.hpp"
#include "store/schedule_record.hpp"

#include <workflow/detail/bounded_json.hpp>
#include <workflow/errors.hpp>

#include <zlib.h>

#include <array>
#include <cstdio>
#include <initializer_list>

namespace workflow::detail {
namespace {

// CRC-32 (zlib's polynomial) over each field as its 8-byte little-endian length, then its bytes:
// field boundaries count, so ("ab", "c") and ("a", "bc") differ.
std::int64_t checksum_of(std::initializer_list<std::string_view> fields) {
  uLong crc = crc32(0L, Z_NULL, 0);
  for (auto field : fields) {
    std::array<unsigned char, 8> length{};
    auto size = static_cast<std::uint64_t>(field.size());
    for (std::size_t i = 0; i < length.size(); ++i) length[i] = static_cast<unsigned char>(size >> (8 * i));
    crc = crc32(crc, length.data(), static_cast<uInt>(length.size()));
    crc = crc32_z(crc, reinterpret_cast<const Bytef*>(field.data()), field.size());
  }
  return static_cast<std::int64_t>(crc);
}

std::string hex(std::int64_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "%08llx", static_cast<unsigned long long>(value));
  return text;
}

std::string mismatch(std::int64_t stored, std::int64_t computed) {
  return "its checksum does not match its contents (stored " + hex(stored) + ", computed " + hex(computed) + ")";
}

// The JSON, or the reason it cannot be read.
std::optional<Json> parse_stored(std::string_view text, std::string& problem) {
  try {
    return parse_bounded_json(text, kMaxStoredJsonDepth);
  } catch (const std::exception& error) {
    problem = std::string("its JSON cannot be read (") + error.what() + ")";
    return std::nullopt;
  }
}

}  // namespace

std::int64_t event_checksum(const Event& event, std::string_view data_text) {
  return checksum_of({event.run_id, to_string(event.type), event.correlation_id, std::to_string(event.position),
                      event.step_name, data_text, std::to_string(to_micros(event.created_at))});
}

Event decode_event(const StoredEvent& row) {
  std::string record = "event " + std::to_string(row.id) + " (" + row.type +
                       (row.correlation_id.empty() ? "" : " at " + row.correlation_id) + ")";
  auto type = parse_event_type(row.type);
  Event event;
  event.id = row.id;
  event.run_id = row.run_id;
  event.type = type.value_or(EventType::run_created);
  event.correlation_id = row.correlation_id;
  event.position = row.position;
  event.step_name = row.step_name;
  event.created_at = from_micros(row.created_at);
  if (row.checksum) {
    auto computed = checksum_of({row.run_id, row.type, row.correlation_id, std::to_string(row.position),
                                 row.step_name, row.data, std::to_string(row.created_at)});
    if (computed != *row.checksum) throw DamagedRecordError(row.run_id, record, mismatch(*row.checksum, computed));
  }
  if (!type) throw DamagedRecordError(row.run_id, record, "its type is not one workflow-cpp writes");
  std::string problem;
  auto data = parse_stored(row.data, problem);
  if (!data) throw DamagedRecordError(row.run_id, record, problem);
  if (!data->is_object()) throw DamagedRecordError(row.run_id, record, "its data is not a JSON object");
  if (auto wrong = payload_problem(*type, *data)) throw DamagedRecordError(row.run_id, record, *wrong);
  event.data = std::move(*data);
  return event;
}

namespace {
std::int64_t run_content_checksum(const RunRecord& run, std::string_view input, std::string_view output) {
  return checksum_of({run.id, run.workflow_name, run.deployment_id, input, output,
                      std::to_string(to_micros(run.created_at)), run.parent_run_id});
}
}  // namespace

EncodedRunContent encode_run_content(const RunRecord& run) {
  if (run.damage) throw DamagedRecordError(run.id, "the run's record", *run.damage);
  EncodedRunContent encoded;
  encoded.input = run.input.dump();
  if (!run.output.is_null()) encoded.output = run.output.dump();
  encoded.checksum = run_content_checksum(run, encoded.input, encoded.output.value_or("null"));
  return encoded;
}

void decode_run_content(RunRecord& run, std::string_view input, const std::optional<std::string>& output,
                        const std::optional<std::string>& error, std::optional<std::int64_t> checksum) {
  std::string problem;
  // The error is a description, not a result anything acts on (and not covered): unreadable, it is
  // kept as text. It is read even from a damaged record, which the error then explains.
  if (error) run.error = parse_stored(*error, problem).value_or(Json{{"type", "unreadable"}, {"message", *error}});
  if (checksum) {
    auto computed = run_content_checksum(run, input, output.value_or("null"));
    if (computed != *checksum) {
      run.damage = mismatch(*checksum, computed);
      return;
    }
  }
  auto decoded_input = parse_stored(input, problem);
  if (!decoded_input) {
    run.damage = "its input: " + problem;
    return;
  }
  run.input = std::move(*decoded_input);
  if (output) {
    auto decoded = parse_stored(*output, problem);
    if (!decoded) {
      run.damage = "its output: " + problem;
      return;
    }
    run.output = std::move(*decoded);
  }
}

std::int64_t chunk_checksum(std::string_view run_id, std::string_view name_space, std::string_view writer_key,
                            std::string_view data_text, std::int64_t written_at) {
  return checksum_of({run_id, name_space, writer_key, data_text, std::to_string(written_at)});
}

Json decode_chunk(std::string_view run_id, std::string_view name_space, std::int64_t index,
                  std::string_view writer_key, std::string_view data_text, std::int64_t written_at,
                  std::optional<std::int64_t> checksum) {
  std::string record = "chunk " + std::to_string(index) + " of stream '" + std::string(name_space) + "'";
  if (checksum) {
    auto computed = chunk_checksum(run_id, name_space, writer_key, data_text, written_at);
    if (computed != *checksum) throw DamagedRecordError(std::string(run_id), record, mismatch(*checksum, computed));
  }
  std::string problem;
  auto data = parse_stored(data_text, problem);
  if (!data) throw DamagedRecordError(std::string(run_id), record, problem);
  return std::move(*data);
}

std::int64_t schedule_checksum(const ScheduleRecord& schedule, std::string_view arguments_text) {
  return checksum_of({schedule.name, schedule.workflow_id, arguments_text, schedule.spec, schedule.time_zone,
                      schedule.overlap, schedule.catch_up, std::to_string(schedule.catch_up_window.count()),
                      std::to_string(schedule.grace.count()), schedule.deployment_id,
                      std::to_string(to_micros(schedule.created_at))});
}

void decode_schedule_definition(ScheduleRecord& schedule, std::string_view arguments_text,
                                std::optional<std::int64_t> checksum) {
  if (checksum) {
    auto computed = schedule_checksum(schedule, arguments_text);
    if (computed != *checksum) {
      schedule.damage = mismatch(*checksum, computed);
      return;
    }
  }
  std::string problem;
  auto arguments = parse_stored(arguments_text, problem);
  if (!arguments) {
    schedule.damage = "its arguments: " + problem;
    return;
  }
  schedule.arguments = std::move(*arguments);
}

}  // namespace workflow::detail
