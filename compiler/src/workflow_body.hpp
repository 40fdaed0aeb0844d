// One pass over a workflow body (lambdas inside it included): finds the step calls to rewrite and
// reports what would break replay: step calls in macros or through pointers, non-deterministic
// calls, and `catch (...)` handlers that swallow the run's suspension.
#pragma once

#include "discovery.hpp"

#include <clang/AST/Expr.h>

#include <vector>

namespace workflow::compiler {

struct StepCall {
  const clang::CallExpr* call;
  const TaggedFunction* step;
};

/// Scans the definition of `workflow`; returns the step calls found (in source order).
std::vector<StepCall> scan_workflow_body(const TaggedFunction& workflow, const Discovery& discovery,
                                         clang::ASTContext& context);

}  // namespace workflow::compiler
