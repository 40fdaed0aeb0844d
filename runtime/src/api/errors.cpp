// Messages of the public exception types.
#include <workflow/errors.hpp>

namespace workflow {

StepFailedError::StepFailedError(std::string run_id, std::string step_name,
                                 std::string correlation_id, int attempts, std::string cause)
    : Error("step " + step_name + " (" + correlation_id + ") of run " + run_id + " failed after " +
            std::to_string(attempts) + (attempts == 1 ? " attempt: " : " attempts: ") + cause),
      run_id_(std::move(run_id)),
      step_name_(std::move(step_name)),
      correlation_id_(std::move(correlation_id)),
      attempts_(attempts),
      cause_(std::move(cause)) {}

RunFailedError::RunFailedError(std::string run_id, std::string cause)
    : Error(cause.find(run_id) == std::string::npos ? "run " + run_id + " failed: " + cause : cause),
      run_id_(std::move(run_id)),
      cause_(std::move(cause)) {}

RunCancelledError::RunCancelledError(std::string run_id)
    : Error("run " + run_id + " was cancelled"), run_id_(std::move(run_id)) {}

RunNotFoundError::RunNotFoundError(const std::string& run_id)
    : Error("no run with ID '" + run_id + "' in the workflow journal") {}

ScheduleNotFoundError::ScheduleNotFoundError(const std::string& name)
    : Error("no schedule named '" + name + "' in the workflow journal") {}

DamagedRecordError::DamagedRecordError(std::string run_id, const std::string& record, const std::string& cause)
    : Error("run " + run_id + ": " + record + " in the journal is damaged: " + cause +
            " (the run is set aside, not replayed; restore the journal from a backup or restart the run)"),
      run_id_(std::move(run_id)) {}

}  // namespace workflow
