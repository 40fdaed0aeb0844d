// The JSON forms of the standard types nlohmann_json 3.11 does not convert by itself, so that they
// can be step and workflow arguments and results. docs/serialization.md is the specification;
// change a form only together with it, since journals written by the old form must still read.
//
//   std::optional<T>                         null, or the value
//   std::variant<Ts...>                      {"index": i, "value": v}, i the alternative's index
//   std::monostate                           null
//   std::chrono::duration<Rep, Period>       its count of ticks (of its own Period)
//   std::chrono::time_point<system_clock, D> ticks of D since 1970-01-01 00:00:00 UTC
//
// A time point of any other clock is not serializable on purpose: steady_clock counts from an
// arbitrary point of one boot of one machine, and file_clock's epoch differs between standard
// libraries, so the value would mean something else in the process that reads it.
//
// Each conversion is constrained on its element types, so that `Serializable<std::optional<X>>`
// is false when X is not serializable (rather than true, then failing deep inside nlohmann).
//
// nlohmann_json already converts enums (the underlying integer) and std::filesystem::path (a
// string; UTF-8 on POSIX, and from 3.12 everywhere): nothing here for them.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

// nlohmann_json 3.12.0 converts std::optional itself, but reads it only with
// JSON_USE_IMPLICIT_CONVERSIONS off (nlohmann/json#4740, fixed after 3.12.0), so ours is used up
// to and including 3.12.0. Ours is a specialization of adl_serializer and theirs are free
// functions, so the two never collide; the JSON form is the same.
// A project that already specializes adl_serializer<std::optional<T>> itself (a common recipe
// from nlohmann's README) defines WORKFLOW_NO_OPTIONAL_SERIALIZER, keeping its own.
#if defined(WORKFLOW_NO_OPTIONAL_SERIALIZER)
#define WORKFLOW_JSON_CONVERTS_OPTIONAL 0
#elif NLOHMANN_JSON_VERSION_MAJOR < 3 ||                               \
    (NLOHMANN_JSON_VERSION_MAJOR == 3 && (NLOHMANN_JSON_VERSION_MINOR < 12 || \
                                          (NLOHMANN_JSON_VERSION_MINOR == 12 && NLOHMANN_JSON_VERSION_PATCH == 0)))
#define WORKFLOW_JSON_CONVERTS_OPTIONAL 1
#else
#define WORKFLOW_JSON_CONVERTS_OPTIONAL 0
#endif

// The inline ABI namespace of nlohmann_json 3.11+ must be reopened as such to specialize in it.
#ifdef NLOHMANN_JSON_NAMESPACE_BEGIN
#define WORKFLOW_JSON_NAMESPACE_BEGIN NLOHMANN_JSON_NAMESPACE_BEGIN
#define WORKFLOW_JSON_NAMESPACE_END NLOHMANN_JSON_NAMESPACE_END
#else
#define WORKFLOW_JSON_NAMESPACE_BEGIN namespace nlohmann {
#define WORKFLOW_JSON_NAMESPACE_END }
#endif

namespace workflow::detail {

/// Whether a `T` converts to `BasicJson`: the constraint on the elements of a standard type.
template <class T, class BasicJson>
concept json_writable = std::is_constructible_v<BasicJson, const T&>;

/// Whether a `BasicJson` converts back to a `T`.
template <class T, class BasicJson>
concept json_readable = requires(const BasicJson& json) { json.template get<T>(); };

/// The integer count of ticks of a duration, refusing JSON floats (which nlohmann would truncate
/// without a word) so that a journal edited by hand cannot silently change a value.
template <class Rep, class BasicJson>
Rep read_ticks(const BasicJson& json) {
  if constexpr (std::is_integral_v<Rep>) {
    if (!json.is_number_integer())
      throw BasicJson::type_error::create(
          302, "a std::chrono::duration with integral ticks must be an integer, but is " + std::string(json.type_name()),
          &json);
  }
  return json.template get<Rep>();
}

}  // namespace workflow::detail

WORKFLOW_JSON_NAMESPACE_BEGIN

#if WORKFLOW_JSON_CONVERTS_OPTIONAL
/// `std::nullopt` is JSON null, anything else the value's own form. Hence an optional whose
/// value is itself null (an empty inner optional, a null Json) reads back as `std::nullopt`.
template <class T>
struct adl_serializer<std::optional<T>> {
  template <class BasicJson>
    requires workflow::detail::json_writable<T, BasicJson>
  static void to_json(BasicJson& target, const std::optional<T>& value) {
    if (value)
      target = *value;
    else
      target = nullptr;
  }

  template <class BasicJson>
    requires workflow::detail::json_readable<T, BasicJson>
  static void from_json(const BasicJson& source, std::optional<T>& value) {
    if (source.is_null())
      value.reset();
    else
      value.emplace(source.template get<T>());  // emplace: T need not be default-constructible
  }
};
#endif

/// JSON null, so that `std::variant<std::monostate, ...>` (the usual "none of these") works.
template <>
struct adl_serializer<std::monostate> {
  template <class BasicJson>
  static void to_json(BasicJson& target, std::monostate) {
    target = nullptr;
  }

  template <class BasicJson>
  static void from_json(const BasicJson& source, std::monostate&) {
    if (!source.is_null())
      throw BasicJson::type_error::create(302, "std::monostate must be null, but is " + std::string(source.type_name()),
                                          &source);
  }
};

/// `{"index": i, "value": v}`: the index tells apart alternatives whose JSON looks alike
/// (`int` and `double`, two structs with the same fields, the same type twice). Reading checks
/// the shape and the index and throws nlohmann's `type_error` (302) or `out_of_range` (401, 403).
/// Writing a variant that is valueless by exception throws `std::bad_variant_access`.
template <class... Ts>
struct adl_serializer<std::variant<Ts...>> {
  using Variant = std::variant<Ts...>;

  template <class BasicJson>
    requires(workflow::detail::json_writable<Ts, BasicJson> && ...)
  static void to_json(BasicJson& target, const Variant& value) {
    BasicJson object = BasicJson::object();
    object["index"] = value.index();
    std::visit([&object](const auto& alternative) { object["value"] = alternative; }, value);
    target = std::move(object);
  }

  // The form that returns the value is what `get<std::variant<...>>()` uses, so that a variant
  // whose first alternative has no default constructor can be read.
  template <class BasicJson>
    requires(workflow::detail::json_readable<Ts, BasicJson> && ...)
  static Variant from_json(const BasicJson& source) {
    if (!source.is_object())
      throw BasicJson::type_error::create(
          302, "std::variant must be an object {\"index\": ..., \"value\": ...}, but is " + std::string(source.type_name()),
          &source);
    const BasicJson& index = source.at("index");
    if (!index.is_number_integer())
      throw BasicJson::type_error::create(
          302, "std::variant's \"index\" must be an integer, but is " + std::string(index.type_name()), &source);
    // Read as signed: a negative index, or an unsigned one past INT64_MAX, is below zero here.
    const auto position = index.template get<std::int64_t>();
    if (position < 0 || position >= static_cast<std::int64_t>(sizeof...(Ts)))
      throw BasicJson::out_of_range::create(401,
                                            "std::variant index " + index.dump() + " is out of range: the variant has " +
                                                std::to_string(sizeof...(Ts)) + " alternatives",
                                            &source);
    return read_alternative(source.at("value"), static_cast<std::size_t>(position), std::index_sequence_for<Ts...>{});
  }

  // The form that fills a value in place is what `get_to` (and so NLOHMANN_DEFINE_TYPE_*) uses.
  template <class BasicJson>
    requires(workflow::detail::json_readable<Ts, BasicJson> && ...)
  static void from_json(const BasicJson& source, Variant& value) {
    value = from_json(source);
  }

 private:
  // A table of one reader per alternative, indexed at run time: the index comes from the journal.
  template <class BasicJson, std::size_t... Index>
  static Variant read_alternative(const BasicJson& source, std::size_t position, std::index_sequence<Index...>) {
    using Reader = Variant (*)(const BasicJson&);
    static constexpr Reader readers[] = {+[](const BasicJson& alternative) {
      return Variant(std::in_place_index<Index>,
                     alternative.template get<std::variant_alternative_t<Index, Variant>>());
    }...};
    return readers[position](source);
  }
};

/// The count of ticks, in the duration's own unit: `std::chrono::milliseconds(1500)` is `1500`,
/// `std::chrono::seconds(2)` is `2`. Exact for integral ticks; floating ticks are JSON numbers.
/// The unit is not recorded: retyping a parameter from `seconds` to `milliseconds` makes the
/// runs already journaled read their numbers in the new unit.
template <class Rep, class Period>
struct adl_serializer<std::chrono::duration<Rep, Period>> {
  using Duration = std::chrono::duration<Rep, Period>;

  template <class BasicJson>
    requires workflow::detail::json_writable<Rep, BasicJson>
  static void to_json(BasicJson& target, const Duration& value) {
    target = value.count();
  }

  template <class BasicJson>
    requires workflow::detail::json_readable<Rep, BasicJson>
  static void from_json(const BasicJson& source, Duration& value) {
    value = Duration(workflow::detail::read_ticks<Rep>(source));
  }
};

/// Ticks of `Duration` since the system clock's epoch, 1970-01-01 00:00:00 UTC (specified so
/// since C++20): a `std::chrono::sys_seconds` is Unix time, a `sys_days` a day number.
template <class Duration>
struct adl_serializer<std::chrono::time_point<std::chrono::system_clock, Duration>> {
  using TimePoint = std::chrono::time_point<std::chrono::system_clock, Duration>;

  template <class BasicJson>
    requires workflow::detail::json_writable<Duration, BasicJson>
  static void to_json(BasicJson& target, const TimePoint& value) {
    target = value.time_since_epoch();
  }

  template <class BasicJson>
    requires workflow::detail::json_readable<Duration, BasicJson>
  static void from_json(const BasicJson& source, TimePoint& value) {
    value = TimePoint(source.template get<Duration>());
  }
};

WORKFLOW_JSON_NAMESPACE_END

#undef WORKFLOW_JSON_NAMESPACE_BEGIN
#undef WORKFLOW_JSON_NAMESPACE_END
#undef WORKFLOW_JSON_CONVERTS_OPTIONAL
