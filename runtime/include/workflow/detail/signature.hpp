// How a workflow's or step's signature maps to the journal: which types its arguments are stored
// as, how each attempt receives them, and what a journaled call returns.
//
// The parameter types are taken exactly as declared, so a journaled call converts and binds its
// arguments as the plain call would: braced lists, designated initializers and bit-fields
// initialize the parameter, `std::move(s)` into a `const std::string&` moves nothing, and a
// `const int (&)[3]` binds to the caller's array. What differs is spelled out in docs/dispatch.md.
#pragma once

#include <workflow/serialization.hpp>

#include <cstddef>
#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>

namespace workflow::detail {

/// A C array argument read back from the journal: arrays cannot live in a tuple themselves.
template <class T>
struct ArrayArgument;
template <class T, std::size_t N>
struct ArrayArgument<T[N]> {
  T value[N];
};
/// A C array as a JSON array of its elements, also for characters (nlohmann_json would write a
/// `char[N]` as a string, cut at its first NUL, which does not read back into the array).
template <class T>
Json argument_to_journal(const T& value) {
  if constexpr (std::is_array_v<T>) {
    Json array = Json::array();
    for (const auto& element : value) array.push_back(argument_to_journal(element));
    return array;
  } else {
    return Json(value);
  }
}
template <class T, std::size_t N>
void to_json(Json& json, const ArrayArgument<T[N]>& argument) {
  json = argument_to_journal(argument.value);
}
/// Reads what argument_to_journal wrote; a JSON value of the wrong shape throws nlohmann_json's
/// type_error or out_of_range.
template <class T>
void argument_from_journal(const Json& json, T& value) {
  if constexpr (std::is_array_v<T>) {
    for (std::size_t i = 0; i < std::extent_v<T>; ++i) argument_from_journal(json.at(i), value[i]);
  } else {
    json.get_to(value);
  }
}
template <class T, std::size_t N>
void from_json(const Json& json, ArrayArgument<T[N]>& argument) {
  argument_from_journal(json, argument.value);
}

/// The type an argument of parameter type `P` is stored as when it is read from the journal.
template <class P, class Value = std::remove_cvref_t<P>>
using stored_t = std::conditional_t<std::is_array_v<Value>, ArrayArgument<Value>, Value>;

template <class T>
T& unwrap(T& stored) {
  return stored;
}
template <class T>
auto& unwrap(ArrayArgument<T>& stored) {
  return stored.value;
}

/// What one attempt passes for parameter `P`: the stored value itself (copied into a by-value
/// parameter, bound by a const reference), or for `T&&` a fresh copy, so that every attempt and
/// every replay sees the same argument and the caller's object is left as it was.
template <class P, class S>
decltype(auto) pass(S& stored) {
  if constexpr (std::is_rvalue_reference_v<P>) {
    return std::remove_cvref_t<P>(unwrap(stored));
  } else {
    return unwrap(stored);
  }
}

/// What a journaled call returns for a function declared to return `R`: the value, or for a
/// `const T&` result a reference to a copy that the run keeps until its body returns (the
/// recorded result has no other home on replay).
template <class R>
struct returned {
  using type = R;
};
template <class T>
struct returned<const T&> {
  using type = const T&;
};
template <class R>
using returned_t = typename returned<R>::type;

/// The value type a result travels as.
template <class R>
using result_value_t = std::remove_cvref_t<R>;

template <class F>
struct function_traits;
template <class R, class... P>
struct function_traits<R (*)(P...)> {
  using result = R;
  using parameters = std::tuple<P...>;
  using stored_arguments = std::tuple<stored_t<P>...>;
};
template <class R, class... P>
struct function_traits<R (*)(P...) noexcept> : function_traits<R (*)(P...)> {};

/// Arguments travel as a JSON array, also when there are none, one element per parameter (a C
/// array as a JSON array). Built element by element: nlohmann's tuple conversion goes through
/// an initializer list, which turns a single argument that looks like a key/value pair (a
/// vector of two strings) into an object.
template <class... P>
Json arguments_to_journal(const P&... arguments) {
  static_assert((require_serializable<stored_t<P>>::value && ...));
  Json array = Json::array();
  (array.push_back(argument_to_journal(arguments)), ...);
  return array;
}

/// Keeps `value` alive until the workflow body executing on this thread returns (or, outside a
/// run, until the thread ends); returns it.
const void* keep_for_run(std::shared_ptr<const void> value);

/// The value a journaled call returns, read from the recorded JSON.
template <class R>
returned_t<R> result_from_journal(const Json& json) {
  if constexpr (std::is_void_v<R>) {
    return;
  } else if constexpr (std::is_lvalue_reference_v<R>) {
    auto kept = std::make_shared<const result_value_t<R>>(json.get<result_value_t<R>>());
    keep_for_run(kept);
    return *kept;
  } else {
    return json.get<result_value_t<R>>();
  }
}

/// Calls `callable` as the function type `F` (a function pointer type) would be called, with
/// arguments read from the JSON array `arguments`; returns the result, as `F`'s result type, as
/// JSON (null for void). Owns its copies, so it may outlive the caller's frame.
template <class F, class Callable>
Json call_with_journal_arguments(Callable& callable, const Json& arguments) {
  using Traits = function_traits<F>;
  auto values = arguments.get<typename Traits::stored_arguments>();
  return [&]<class... P>(std::tuple<P...>*) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      if constexpr (std::is_void_v<typename Traits::result>) {
        callable(pass<P>(std::get<I>(values))...);
        return Json(nullptr);
      } else {
        return to_journal<result_value_t<typename Traits::result>>(callable(pass<P>(std::get<I>(values))...));
      }
    }(std::index_sequence_for<P...>{});
  }(static_cast<typename Traits::parameters*>(nullptr));
}

/// Calls `Fn` with arguments read from the JSON array `arguments` (see above).
template <auto Fn>
Json invoke_from_journal(const Json& arguments) {
  auto function = Fn;
  return call_with_journal_arguments<decltype(Fn)>(function, arguments);
}

}  // namespace workflow::detail
