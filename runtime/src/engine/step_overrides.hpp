// Step bodies replaced for this process, by step ID: the hook behind the test toolkit's mocks
// (<workflow/testing.hpp>). dispatch_step asks here before each journaled step call, so a
// replaced step is journaled, retried and replayed exactly like the real one.
//
// Thread safety: every function may be called from any thread; an override being run stays
// alive until it returns, even if it is removed meanwhile.
#pragma once

#include <workflow/serialization.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace workflow::detail {

/// Runs one attempt of a step from its journaled arguments (a JSON array); returns its result as
/// JSON (null for void). May throw as the step would.
using StepOverride = std::function<Json(const Json& arguments)>;

void set_step_override(std::string step_id, StepOverride replacement);
/// The replacement of the step `step_id`, or null.
std::shared_ptr<const StepOverride> find_step_override(std::string_view step_id);
void clear_step_overrides();

}  // namespace workflow::detail
