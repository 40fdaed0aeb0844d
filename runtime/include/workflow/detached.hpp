// Child runs that outlive their parent's cancellation.
//
// Cancelling a run cancels its unfinished child runs, and theirs, in the same transaction
// (docs/programming-model.md, "Child workflows"). A child started inside `workflow::detached` is
// left running instead: a report the parent kicked off, a clean-up that must finish.
#pragma once

#include <utility>

namespace workflow {
namespace detail {
/// Marks the child runs the current workflow body starts while it lives as detached. Throws
/// NotInWorkflowError outside a workflow body.
class DetachedChildrenScope {
 public:
  DetachedChildrenScope();
  ~DetachedChildrenScope();
  DetachedChildrenScope(const DetachedChildrenScope&) = delete;
  DetachedChildrenScope& operator=(const DetachedChildrenScope&) = delete;

 private:
  bool was_detached_;
};
}  // namespace detail

/// Calls `body()` (typically a lambda that calls a child workflow) and returns what it returns;
/// the child runs started in it are detached: cancelling this run leaves them running. Waiting
/// for a detached child still waits for it as for any child. Workflow bodies only.
///
///   auto report = workflow::detached([&] { return build_report(month); });
template <class Body>
decltype(auto) detached(Body&& body) {
  detail::DetachedChildrenScope scope;
  return std::forward<Body>(body)();
}

}  // namespace workflow
