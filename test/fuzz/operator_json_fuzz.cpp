// Fuzz target operator-json: JSON an operator types or sends, as the CLI (`wf runs start --args`,
// `wf runs send-event --payload`) and the REST API (request bodies) take it: workflow::ops::parse_json,
// then the error table both report through.
//
// Invariants: parse_json throws nothing but BadRequest, which report_error turns into HTTP 400
// `bad_request` and exit code 2 (never `internal`); an accepted document prints, as the tools
// print it, to the same text a strict dump() makes, and that text parses back to the same value.
#include "fuzz_check.hpp"

#include "error_report.hpp"
#include "json_views.hpp"
#include "operations.hpp"

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using workflow::Json;
  namespace ops = workflow::ops;
  std::string text(reinterpret_cast<const char*>(data), size);
  Json value;
  try {
    value = ops::parse_json(text, "--args");
  } catch (const ops::BadRequest&) {
    auto report = ops::report_error(std::current_exception());
    WORKFLOW_FUZZ_CHECK(report.http_status == 400 && report.code == "bad_request" &&
                        report.exit_code == ops::exit_code::bad_input);
    return 0;
  }
  auto printed = ops::json_text(value);
  WORKFLOW_FUZZ_CHECK(printed == value.dump());
  WORKFLOW_FUZZ_CHECK(ops::parse_json(printed, "--args") == value);
  return 0;
}
