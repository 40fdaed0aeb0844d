// One pass over a workflow body (lambdas inside it included): finds the step calls and child
// workflow calls to rewrite and
// reports what would break replay: step calls in macros or through pointers, non-deterministic
// calls, and `catch (...)` handlers that swallow the run's suspension.
#pragma once

#include "discovery.hpp"

#include <clang/AST/Expr.h>

#include <vector>

namespace workflow::compiler {

/// A call inside a workflow body that wfc turns into a dispatch call: a step call, or a call of
/// another workflow (a child run).
struct JournaledCall {
  const clang::CallExpr* call;
  const TaggedFunction* callee;
};

/// Scans the definition of `workflow`; returns the journaled calls found (in source order).
std::vector<JournaledCall> scan_workflow_body(const TaggedFunction& workflow, const Discovery& discovery,
                                         clang::ASTContext& context);

}  // namespace workflow::compiler
