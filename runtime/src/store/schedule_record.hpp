// A schedule as the journal stores it (the `schedules` table, docs/journal.md), and its checksum.
//
// The checksum covers the definition (what `workflow::schedule` declares: workflow, arguments,
// expression, zone, policies, deployment), written together by put_schedule. The firing state
// (paused, next fire, last tick and run, the buffered tick, the skipped count) changes in place
// with every tick and is not covered, like a run's status and lease.
#pragma once

#include "util/time.hpp"

#include <workflow/serialization.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace workflow::detail {

struct ScheduleRecord {
  std::string name;
  std::string workflow_id;
  /// The workflow's arguments, a JSON array with one element per parameter.
  Json arguments = Json::array();
  /// A cron expression or `@every <interval>` (schedule/schedule_spec.hpp), in `time_zone`.
  std::string spec;
  std::string time_zone;
  /// `skip`, `buffer_one` or `allow_all` (workflow::OverlapPolicy as text).
  std::string overlap = "skip";
  /// `skip`, `last` or `all` (workflow::CatchUpPolicy as text).
  std::string catch_up = "skip";
  /// Catch-up `all`: how far back missed ticks still run.
  std::chrono::microseconds catch_up_window{0};
  /// A tick late by no more than this always runs, whatever the catch-up policy.
  std::chrono::microseconds grace{0};
  /// Pinned deployment; empty: the newest deployment that registered the workflow.
  std::string deployment_id;
  bool paused = false;
  /// The first tick not yet handled; empty when the schedule fires no more.
  std::optional<TimePoint> next_fire_at;
  std::optional<TimePoint> last_tick_at;
  std::string last_run_id;
  /// Overlap `buffer_one`: a tick waiting for the previous run to end.
  std::optional<TimePoint> buffered_tick_at;
  std::int64_t skipped_count = 0;
  TimePoint created_at;
  TimePoint updated_at;
  /// Set when the stored definition failed its checksum or could not be decoded: why.
  std::optional<std::string> damage;
};

/// The checksum of the definition, with `arguments_text` as it is stored.
std::int64_t schedule_checksum(const ScheduleRecord& schedule, std::string_view arguments_text);
/// Fills schedule.arguments from its stored text and checks the checksum (NULL: unchecked); on a
/// mismatch or undecodable JSON sets schedule.damage.
void decode_schedule_definition(ScheduleRecord& schedule, std::string_view arguments_text,
                                std::optional<std::int64_t> checksum);

}  // namespace workflow::detail
