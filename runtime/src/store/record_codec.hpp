// How journal records are checked and decoded on read, the same for every backend.
//
// Each record carries a CRC-32 of its contents (docs/journal.md, "Checksums"), computed when it
// is written and verified when it is read, so a damaged record (a flipped bit, a digit changed
// by hand) is reported, never replayed. Stored JSON is parsed with the nesting bound of outside
// input: a journal is outside input to the worker that reads it.
//
// Which fields a checksum covers: what replay or a reader acts on and that is written once.
// A run's row covers its identity, input and output (written together by insert_run and
// update_run); its status, owner and lease change in place through narrow updates and are not
// covered. Rows written before checksums existed (a NULL checksum) are read unchecked.
#pragma once

#include "store/records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace workflow::detail {

/// The columns of an event row as read, before decoding.
struct StoredEvent {
  std::int64_t id = 0;
  std::string run_id;
  std::string type;
  std::string correlation_id;
  std::int64_t position = -1;
  std::string step_name;
  std::string data;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> checksum;
};

std::int64_t event_checksum(const Event& event, std::string_view data_text);
/// The event, or DamagedRecordError naming the run and the event.
Event decode_event(const StoredEvent& row);

/// The run's covered columns as stored: `input` and `output` as JSON text (output: "null" for
/// NULL), and their checksum.
struct EncodedRunContent {
  std::string input;
  std::optional<std::string> output;
  std::int64_t checksum = 0;
};
/// Throws DamagedRecordError for a run read as damaged: writing its covered columns back would
/// bless the damage (update_run writes only the others for such a run).
EncodedRunContent encode_run_content(const RunRecord& run);
/// Fills run.input and run.output from their stored text (output/error may be absent); on a
/// checksum mismatch or undecodable JSON sets run.damage instead of throwing, so a listing or a
/// claim of many runs is not stopped by one.
void decode_run_content(RunRecord& run, std::string_view input, const std::optional<std::string>& output,
                        const std::optional<std::string>& error, std::optional<std::int64_t> checksum);

std::int64_t chunk_checksum(std::string_view run_id, std::string_view name_space, std::string_view writer_key,
                            std::string_view data_text, std::int64_t written_at);
/// A stream chunk's JSON, or DamagedRecordError naming the run, the stream and the chunk.
Json decode_chunk(std::string_view run_id, std::string_view name_space, std::int64_t index,
                  std::string_view writer_key, std::string_view data_text, std::int64_t written_at,
                  std::optional<std::int64_t> checksum);

}  // namespace workflow::detail
