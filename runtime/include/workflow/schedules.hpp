// Durable schedules: named rules that start runs of a workflow at the ticks of a cron expression
// or an interval, exactly one run per tick however many workers share the journal
// (docs/schedules.md).
#pragma once

#include <workflow/detail/signature.hpp>
#include <workflow/run.hpp>
#include <workflow/serialization.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

namespace workflow {

/// What a tick does while the schedule's previous run has not finished.
enum class OverlapPolicy {
  /// The tick starts nothing; the schedule counts it as skipped.
  skip,
  /// At most one tick waits and starts when the previous run ends; further ticks are skipped.
  buffer_one,
  /// Every tick starts a run.
  allow_all,
};

/// What happens to ticks missed for longer than the grace period (no worker ran, or the schedule
/// was paused).
enum class CatchUpPolicy {
  /// They start nothing.
  skip,
  /// Only the most recent of them starts a run.
  last,
  /// Every one within the catch-up window starts a run.
  all,
};

std::string_view to_string(OverlapPolicy policy);
std::string_view to_string(CatchUpPolicy policy);
/// The policy named `text` (`skip`, `buffer_one`, `allow_all`); throws ConfigurationError.
OverlapPolicy parse_overlap_policy(std::string_view text);
/// The policy named `text` (`skip`, `last`, `all`); throws ConfigurationError.
CatchUpPolicy parse_catch_up_policy(std::string_view text);

/// How a schedule fires.
struct ScheduleOptions {
  /// A cron expression (5 or 6 fields, or a macro such as `@daily`) or `@every <interval>`.
  std::string spec;
  /// An IANA time zone for cron expressions ("Europe/Berlin"); empty: UTC.
  std::string time_zone;
  OverlapPolicy overlap = OverlapPolicy::skip;
  CatchUpPolicy catch_up = CatchUpPolicy::skip;
  /// CatchUpPolicy::all: missed ticks older than this are not run.
  std::chrono::seconds catch_up_window{std::chrono::hours(1)};
  /// A tick late by no more than this always runs, whatever the catch-up policy: a worker that
  /// died mid-tick, or a journal busy for a while, loses no tick.
  std::chrono::seconds grace{60};
  /// The deployment its runs are pinned to; empty: the newest deployment that registered the
  /// workflow when the tick fires.
  std::string deployment_id;
  /// Created paused. Ignored when the schedule exists: declaring never pauses or resumes one.
  bool paused = false;
};

/// A schedule as stored, with its state.
struct ScheduleInfo {
  std::string name;
  std::string workflow_id;
  /// The workflow's arguments: a JSON array, one element per parameter.
  Json arguments;
  ScheduleOptions options;
  /// The expression in words (`cron '0 9 * * 1-5' in Europe/Berlin`).
  std::string description;
  bool paused = false;
  /// The next tick not yet handled; empty when the expression fires no more.
  std::optional<std::chrono::system_clock::time_point> next_fire_at;
  /// The tick of the last run the schedule started, and that run.
  std::optional<std::chrono::system_clock::time_point> last_tick_at;
  std::string last_run_id;
  /// OverlapPolicy::buffer_one: the tick waiting for the previous run to end.
  std::optional<std::chrono::system_clock::time_point> buffered_tick_at;
  /// Ticks the overlap policy skipped.
  std::int64_t skipped_count = 0;
  std::chrono::system_clock::time_point created_at;
  std::chrono::system_clock::time_point updated_at;
};

/// What a declaration did.
enum class ScheduleChange { created, updated, unchanged };

namespace detail {
ScheduleChange declare_schedule(const std::string& name, const void* workflow_key, Json arguments,
                                const ScheduleOptions& options);
}  // namespace detail

/// Declares a schedule of `workflow_id` on `arguments` (a JSON array): for tools, and for code
/// that does not link the workflow. Idempotent: an unchanged definition changes nothing (a paused
/// schedule stays paused, its next fire time stays); a changed one is updated and its next fire
/// time computed again from now. `name`: letters, digits and `._-`, at most 100 characters.
/// Throws ScheduleSpecError for a bad expression or zone, ConfigurationError for a bad name.
ScheduleChange schedule_by_id(const std::string& name, const std::string& workflow_id, Json arguments,
                              const ScheduleOptions& options);

/// Declares a schedule that starts `workflow(args...)` at each tick of `options.spec`; typically
/// called at worker start. Idempotent as schedule_by_id.
template <class R, class... Params, class... Args>
ScheduleChange schedule(const std::string& name, R (*workflow)(Params...), const std::tuple<Args...>& args,
                        const ScheduleOptions& options) {
  static_assert(sizeof...(Args) == sizeof...(Params),
                "workflow::schedule: the number of arguments does not match the workflow's parameters");
  static_assert((std::is_convertible_v<const Args&, Params> && ...),
                "workflow::schedule: an argument does not convert to the workflow's parameter type");
  static_assert(detail::require_serializable<detail::result_value_t<R>>::value);
  // Converted to the parameter types first, as the plain call would convert them.
  Json journal = std::apply(
      [](const auto&... values) {
        return [](std::type_identity_t<Params>... converted) {
          return detail::arguments_to_journal(converted...);
        }(values...);
      },
      args);
  return detail::declare_schedule(name, reinterpret_cast<const void*>(workflow), std::move(journal), options);
}

/// Every schedule, by name.
std::vector<ScheduleInfo> list_schedules();
/// The schedule, if the journal has one of that name.
std::optional<ScheduleInfo> get_schedule(const std::string& name);
/// Stops the schedule firing until resume_schedule. Pausing a paused schedule does nothing.
/// Throws ScheduleNotFoundError.
void pause_schedule(const std::string& name);
/// Lets a paused schedule fire again. Ticks of the paused period are missed ticks: the catch-up
/// policy says which run (the grace period does not apply to them). Throws ScheduleNotFoundError.
void resume_schedule(const std::string& name);
/// Starts a run of the schedule now, whatever its state and overlap policy; its ID is
/// `sched-<name>-<UTC time>-manual`. Throws ScheduleNotFoundError.
Run<> trigger_schedule(const std::string& name);
/// Removes the schedule; runs it started go on. Returns whether there was one.
bool delete_schedule(const std::string& name);
/// The next `count` ticks of the schedule from now (paused or not). Throws ScheduleNotFoundError.
std::vector<std::chrono::system_clock::time_point> schedule_fire_times(const std::string& name, std::size_t count);

}  // namespace workflow
