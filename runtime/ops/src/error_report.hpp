// One table from errors to what an operator sees: the HTTP status and code of the REST API and
// the exit code of the CLI (docs/rest-api.md, docs/cli.md).
#pragma once

#include <exception>
#include <stdexcept>
#include <string>

namespace workflow::ops {

/// Input an operator sent that cannot be used: a malformed ID, filter or JSON document.
class BadRequest : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A path or resource the API does not have (unknown runs are RunNotFoundError).
class NotFound : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ErrorReport {
  int http_status = 500;
  /// `bad_request`, `not_found`, `invalid_transition`, `storage_unavailable`, `internal`.
  std::string code;
  int exit_code = 1;
  std::string message;
};

/// Classifies the exception `error`.
ErrorReport report_error(std::exception_ptr error);

/// The CLI's exit codes (docs/cli.md).
namespace exit_code {
constexpr int ok = 0;
constexpr int failure = 1;
constexpr int bad_input = 2;
constexpr int not_found = 3;
constexpr int invalid_transition = 4;
constexpr int storage_unavailable = 5;
/// `wf runs watch`: the run ended failed or cancelled.
constexpr int run_failed = 6;
constexpr int run_cancelled = 7;
/// `runs replay`: a run does not replay on this binary's code, or could not be checked;
/// `runs upgrade`: a run stayed.
constexpr int incompatible = 8;
}  // namespace exit_code

}  // namespace workflow::ops
