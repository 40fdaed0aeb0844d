// How arguments and results travel through the journal: nlohmann_json, found by ADL.
//
// A type is journaled if nlohmann_json can convert it both ways (`to_json` / `from_json` found by
// ADL, or NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE). Anything else stops the build with a message that
// names the type.
#pragma once

#include <nlohmann/json.hpp>
#include <workflow/standard_types.hpp>  // optional, variant, chrono: docs/serialization.md

#include <tuple>
#include <type_traits>

namespace workflow {

using Json = nlohmann::json;

/// Types that can be written to and read back from the journal.
template <class T>
concept Serializable = std::is_void_v<T> || (requires(const T& value) { Json(value); } &&
                                             requires(const Json& json) { json.get<T>(); });

namespace detail {

// A struct, not a bare static_assert, so that the compiler's "in instantiation of
// require_serializable<T>" line names the offending type.
template <class T>
struct require_serializable {
  static_assert(Serializable<T>,
                "workflow-cpp cannot journal this type: give it nlohmann_json conversions "
                "(to_json/from_json found by ADL, or NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE), or, for a "
                "plain aggregate struct, compile this file through target_workflow_sources so that "
                "wfc writes them; the type is named in the 'require_serializable<...>' line above");
  static constexpr bool value = true;
};

template <class T>
Json to_journal(const T& value) {
  static_assert(require_serializable<T>::value);
  return Json(value);
}

template <class T>
T from_journal(const Json& json) {
  static_assert(require_serializable<T>::value);
  if constexpr (!std::is_void_v<T>) return json.get<T>();
}

}  // namespace detail
}  // namespace workflow
