// Parsing JSON that came from outside the process (REST bodies, CLI arguments, event payloads,
// journal records) with a bound on its nesting. nlohmann_json parses without recursion but
// destroys, copies and prints values recursively: a 100,000-deep array of a few hundred KB
// overflows the stack of whatever thread lets it go. A value nested deeper than the bound is a
// parse error, before anything is built.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
#include <type_traits>

namespace workflow::detail {

/// How deep outside JSON may nest (arrays and objects; a scalar at the top is depth 0).
inline constexpr std::size_t kMaxJsonDepth = 512;
/// How deep a journal record's JSON may nest: records wrap a value of at most kMaxJsonDepth in a
/// few levels of their own (`{"result": ...}`, `{"payload": ...}`).
inline constexpr std::size_t kMaxStoredJsonDepth = kMaxJsonDepth + 8;

/// Whether `value` nests deeper than `max_depth` arrays and objects; walks without recursion.
inline bool nests_deeper_than(const nlohmann::json& value, std::size_t max_depth) {
  std::vector<std::pair<const nlohmann::json*, std::size_t>> pending{{&value, 0}};
  while (!pending.empty()) {
    auto [node, depth] = pending.back();
    pending.pop_back();
    if (!node->is_structured()) continue;
    if (depth + 1 > max_depth) return true;
    for (const auto& child : *node) pending.emplace_back(&child, depth + 1);
  }
  return false;
}

/// The thrown error: `nlohmann::json::parse_error`'s message style, with the byte offset.
class JsonTooDeepError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The DOM builder nlohmann's own parse uses, with a count of open containers in front of it
/// (parse_bounded_json's).
class BoundedJsonBuilder : public nlohmann::detail::json_sax_dom_parser<nlohmann::json> {
 public:
  BoundedJsonBuilder(nlohmann::json& result, std::size_t limit) : json_sax_dom_parser(result, true), limit_(limit) {}
  bool start_object(std::size_t elements) {
    enter();
    return json_sax_dom_parser::start_object(elements);
  }
  bool end_object() {
    --depth_;
    return json_sax_dom_parser::end_object();
  }
  bool start_array(std::size_t elements) {
    enter();
    return json_sax_dom_parser::start_array(elements);
  }
  bool end_array() {
    --depth_;
    return json_sax_dom_parser::end_array();
  }
  // nlohmann reports a number beyond a double's range (1e999) as out_of_range, not parse_error
  // (found by test/fuzz/bounded_json_fuzz.cpp); it is malformed input like any other.
  template <class Exception>
  bool parse_error(std::size_t position, const std::string& last_token, const Exception& error) {
    if constexpr (std::is_same_v<Exception, nlohmann::detail::out_of_range>)
      throw nlohmann::json::parse_error::create(101, position, "number " + last_token + " is out of range", nullptr);
    return json_sax_dom_parser::parse_error(position, last_token, error);
  }

 private:
  void enter() {
    if (++depth_ > limit_)
      throw JsonTooDeepError("JSON nested deeper than " + std::to_string(limit_) + " arrays and objects");
  }
  std::size_t limit_;
  std::size_t depth_ = 0;
};

/// Parses `text` as nlohmann::json::parse does, throwing nlohmann::json::parse_error on bad JSON
/// (a number out of a double's range included) and JsonTooDeepError when arrays and objects nest
/// deeper than `max_depth`.
inline nlohmann::json parse_bounded_json(std::string_view text, std::size_t max_depth = kMaxJsonDepth) {
  nlohmann::json result;
  BoundedJsonBuilder builder(result, max_depth);
  nlohmann::json::sax_parse(text, &builder);
  return result;
}

}  // namespace workflow::detail
