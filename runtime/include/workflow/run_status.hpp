// The states of a run and their names.
#pragma once

#include <optional>
#include <string_view>

namespace workflow {

/// Where a run is in its life. `completed`, `failed` and `cancelled` are final.
enum class RunStatus { pending, running, waiting, paused, completed, failed, cancelled };

/// The lower-case name used in the journal, the CLI and the REST API.
std::string_view to_string(RunStatus status);

/// The status named `name`, or nothing for an unknown name.
std::optional<RunStatus> parse_run_status(std::string_view name);

/// True for `completed`, `failed` and `cancelled`.
constexpr bool is_final(RunStatus status) {
  return status == RunStatus::completed || status == RunStatus::failed ||
         status == RunStatus::cancelled;
}

}  // namespace workflow
