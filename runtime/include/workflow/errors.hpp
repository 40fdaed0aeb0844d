// Every exception type workflow-cpp throws at its users, in one place.
//
// Errors about a run name the run; errors about a step name the run, the step and the cause.
#pragma once

#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <string>

namespace workflow {

/// Base of every error workflow-cpp throws.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Thrown by a step body to fail the step at once, without retries.
class FatalError : public Error {
 public:
  using Error::Error;
};

/// Thrown by a step body to ask for another attempt after `retry_after` (zero: the step's back-off).
class RetryableError : public Error {
 public:
  explicit RetryableError(const std::string& message,
                          std::chrono::milliseconds retry_after = std::chrono::milliseconds{0})
      : Error(message), retry_after_(retry_after) {}
  std::chrono::milliseconds retry_after() const { return retry_after_; }

 private:
  std::chrono::milliseconds retry_after_;
};

/// Thrown at a step's call site inside a workflow when the step has finally failed.
class StepFailedError : public Error {
 public:
  StepFailedError(std::string run_id, std::string step_name, std::string correlation_id,
                  int attempts, std::string cause);
  const std::string& run_id() const { return run_id_; }
  /// The step's stable ID, e.g. `step//./orders//charge_card`.
  const std::string& step_name() const { return step_name_; }
  /// The call's position in the run, e.g. `step-3`.
  const std::string& correlation_id() const { return correlation_id_; }
  int attempts() const { return attempts_; }
  /// The message of the last attempt's exception.
  const std::string& cause() const { return cause_; }

 private:
  std::string run_id_, step_name_, correlation_id_;
  int attempts_;
  std::string cause_;
};

/// Thrown by `Run::return_value()` when the run failed.
class RunFailedError : public Error {
 public:
  RunFailedError(std::string run_id, std::string cause);
  const std::string& run_id() const { return run_id_; }
  const std::string& cause() const { return cause_; }

 private:
  std::string run_id_, cause_;
};

/// Thrown by `Run::return_value()` when the run was cancelled.
class RunCancelledError : public Error {
 public:
  explicit RunCancelledError(std::string run_id);
  const std::string& run_id() const { return run_id_; }

 private:
  std::string run_id_;
};

/// A replayed workflow issued a different call than the one its journal recorded at that position.
class NonDeterminismError : public Error {
 public:
  using Error::Error;
};

/// A wait with a time limit ran out (`Run::return_value(timeout)`, `wait_for_event`).
class TimeoutError : public Error {
 public:
  using Error::Error;
};

/// Thrown by wait_for_event<T> when the delivered payload does not convert to T. The event is
/// consumed; the workflow may catch this and wait again.
class EventPayloadError : public Error {
 public:
  using Error::Error;
};

/// A run ID that the journal does not know.
class RunNotFoundError : public Error {
 public:
  explicit RunNotFoundError(const std::string& run_id);
};

/// A schedule name that the journal does not know (docs/schedules.md).
class ScheduleNotFoundError : public Error {
 public:
  explicit ScheduleNotFoundError(const std::string& name);
};

/// An operation that the run's current status does not allow (e.g. cancelling a completed run).
class InvalidTransitionError : public Error {
 public:
  using Error::Error;
};

/// A workflow or step that this process has not registered (was the source built with wfc?).
class NotRegisteredError : public Error {
 public:
  using Error::Error;
};

/// The journal could not be opened, read or written: names the database and the cause.
class StorageError : public Error {
 public:
  using Error::Error;
};

/// The journal stayed locked by another process for longer than Config::busy_timeout (a long
/// commit on a slow disk, another program holding a transaction open). Nothing was written;
/// trying again later may succeed. `workflow::run_worker` waits through it at startup.
class JournalBusyError : public StorageError {
 public:
  using StorageError::StorageError;
};

/// The journal's files were removed or replaced under this process (`rm journal.db-wal`, a backup
/// moved over the file): it stops writing to them, since nothing it wrote would be found again.
/// Not transient: `workflow::run_worker` stops with this message.
class JournalLostError : public StorageError {
 public:
  using StorageError::StorageError;
};

/// A journal record failed its checksum or cannot be decoded (a damaged disk, an edit by hand, a
/// value nested deeper than workflow-cpp reads): names the run and the record. The run is set aside
/// (failed with this message) instead of replayed with wrong data; other runs carry on.
class DamagedRecordError : public Error {
 public:
  DamagedRecordError(std::string run_id, const std::string& record, const std::string& cause);
  const std::string& run_id() const { return run_id_; }

 private:
  std::string run_id_;
};

/// Bad configuration (an unknown database URL, options given after the engine started, ...).
class ConfigurationError : public Error {
 public:
  using Error::Error;
};

/// A schedule that does not parse: a cron expression, an `@every` interval or a time zone
/// (docs/schedules.md). The message quotes the expression and names the field and the problem, e.g.
/// `cron expression '61 * * * *': minute field: 61 is outside 0-59`.
class ScheduleSpecError : public ConfigurationError {
 public:
  using ConfigurationError::ConfigurationError;
};

/// A workflow function was called directly instead of through `workflow::start`, or a
/// workflow-only function (`workflow::sleep`, `workflow::now`, ...) was used outside a run.
class NotInWorkflowError : public Error {
 public:
  using Error::Error;
};

/// Test toolkit (<workflow/testing.hpp>): a function given to TestEnvironment::mock, calls_of or
/// attempts that this program has not registered as a step. The message names the function and
/// says why (a workflow, or a function not tagged `[[workflow::step]]` or not built with wfc).
class NotAStepError : public Error {
 public:
  using Error::Error;
};

/// Test toolkit: a TestEnvironment used after it was stopped, or a second one while another is
/// alive (this process has one engine, which an environment has to itself).
class TestEnvironmentError : public Error {
 public:
  using Error::Error;
};

}  // namespace workflow
