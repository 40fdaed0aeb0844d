// The stream writers one step attempt or one execution of a workflow body has opened, by
// namespace. A second get_writable() for the same namespace in the same call returns the same
// writer, so chunk numbering (and with it the once-only writer keys) continues instead of
// starting over.
#pragma once

#include <workflow/streams.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace workflow::detail {

struct StreamWriters {
  /// What the writer keys of this call start with: the call's correlation ID (`step-3`,
  /// `a2/p1.2/step-4`) or, for a workflow body, its attempt and branch prefix plus `body`.
  std::string key_base;
  std::map<std::string, std::shared_ptr<StreamWriter::State>, std::less<>> by_namespace;
};

/// The writers of the step attempt running on this thread, or null outside a step.
StreamWriters* current_step_stream_writers();

}  // namespace workflow::detail
