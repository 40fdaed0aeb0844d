// External events: a workflow waits for one (`wait_for_event`); any process delivers it
// (`Run::send_event`, the CLI, the REST API). The Workflow SDK's hooks, Cloudflare's
// waitForEvent.
#pragma once

#include <workflow/errors.hpp>
#include <workflow/serialization.hpp>

#include <chrono>
#include <optional>
#include <source_location>
#include <string>
#include <string_view>

namespace workflow {
namespace detail {
Json wait_for_event_json(std::string_view type, std::optional<std::chrono::milliseconds> timeout,
                         const std::source_location& where);
[[noreturn]] void throw_event_payload_error(std::string_view type, const char* wanted, const char* cause);
}  // namespace detail

/// Suspends the workflow until an event of `type` is delivered to its run (or one sent earlier
/// is waiting) and returns its payload as `T`. The wait is durable and holds no thread. Throws
/// TimeoutError when `timeout` passes first, and EventPayloadError (the event consumed) when the
/// payload does not convert to `T`. Workflow bodies only.
template <class T = Json>
T wait_for_event(std::string_view type, std::optional<std::chrono::milliseconds> timeout = std::nullopt,
                 std::source_location where = std::source_location::current()) {
  static_assert(detail::require_serializable<T>::value);
  Json payload = detail::wait_for_event_json(type, timeout, where);
  if constexpr (std::is_same_v<T, Json>) {
    return payload;
  } else {
    try {
      return payload.get<T>();
    } catch (const Json::exception& error) {
      detail::throw_event_payload_error(type, typeid(T).name(), error.what());
    }
  }
}

}  // namespace workflow
