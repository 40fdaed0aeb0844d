// Errors of the operator tools, classified once for the CLI and the REST API.
#include "error_report.hpp"

#include <workflow/errors.hpp>
#include <workflow/serialization.hpp>

namespace workflow::ops {

ErrorReport report_error(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const BadRequest& e) {
    return {400, "bad_request", exit_code::bad_input, e.what()};
  } catch (const std::invalid_argument& e) {
    return {400, "bad_request", exit_code::bad_input, e.what()};
  } catch (const Json::parse_error& e) {
    return {400, "bad_request", exit_code::bad_input, std::string("malformed JSON: ") + e.what()};
  } catch (const DamagedRecordError& e) {
    return {500, "damaged_record", exit_code::failure, e.what()};
  } catch (const ConfigurationError& e) {
    // Raised for values the runtime refuses (a run ID with spaces, arguments that are no array).
    return {400, "bad_request", exit_code::bad_input, e.what()};
  } catch (const NotFound& e) {
    return {404, "not_found", exit_code::not_found, e.what()};
  } catch (const RunNotFoundError& e) {
    return {404, "not_found", exit_code::not_found, e.what()};
  } catch (const ScheduleNotFoundError& e) {
    return {404, "not_found", exit_code::not_found, e.what()};
  } catch (const NotRegisteredError& e) {
    return {404, "not_found", exit_code::not_found, e.what()};
  } catch (const InvalidTransitionError& e) {
    return {409, "invalid_transition", exit_code::invalid_transition, e.what()};
  } catch (const StorageError& e) {
    return {503, "storage_unavailable", exit_code::storage_unavailable, e.what()};
  } catch (const std::exception& e) {
    return {500, "internal", exit_code::failure, e.what()};
  } catch (...) {
    return {500, "internal", exit_code::failure, "unknown error"};
  }
}

}  // namespace workflow::ops
