// Fuzz target bounded-json: workflow::detail::parse_bounded_json, the parser of every JSON document
// from outside the process (REST bodies, --args, --payload, event payloads).
//
// Each input is parsed twice, under the default bound (512) and under a bound of 8 that short
// inputs can exceed. Invariants: nothing but nlohmann's parse_error and JsonTooDeepError is thrown;
// parse_error exactly when nlohmann itself rejects the text; JsonTooDeepError only for text with
// more than `bound` brackets; an accepted value nests at most `bound` deep, is the value nlohmann's
// own parser builds, and survives dump() and a second parse unchanged.
#include "fuzz_check.hpp"

#include <workflow/detail/bounded_json.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

using workflow::detail::JsonTooDeepError;
using workflow::detail::parse_bounded_json;
using Json = nlohmann::json;

// Arrays and objects around the deepest value; a scalar is 0. Recursion is fine here: the value
// passed the bound.
std::size_t depth(const Json& value) {
  if (!value.is_structured()) return 0;
  std::size_t deepest = 0;
  for (const auto& element : value) deepest = std::max(deepest, depth(element));
  return deepest + 1;
}

void check_bounded(std::string_view text, std::size_t bound) {
  Json value;
  try {
    value = parse_bounded_json(text, bound);
  } catch (const Json::parse_error&) {
    WORKFLOW_FUZZ_CHECK(!Json::accept(text));
    return;
  } catch (const JsonTooDeepError&) {
    std::size_t brackets = 0;
    for (char c : text) brackets += c == '[' || c == '{';
    WORKFLOW_FUZZ_CHECK(brackets > bound);
    return;
  }
  WORKFLOW_FUZZ_CHECK(Json::accept(text));
  WORKFLOW_FUZZ_CHECK(depth(value) <= bound);
  WORKFLOW_FUZZ_CHECK(value == Json::parse(text));
  WORKFLOW_FUZZ_CHECK(parse_bounded_json(value.dump(), bound) == value);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  check_bounded(text, workflow::detail::kMaxJsonDepth);
  check_bounded(text, 8);
  return 0;
}
