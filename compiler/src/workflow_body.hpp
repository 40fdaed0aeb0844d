// One pass over a workflow body (lambdas inside it included): finds the step calls and child
// workflow calls to rewrite and reports what would break replay: step calls in macros, through
// pointers or resolved only in a generic lambda's instantiations; non-deterministic calls (in the
// body and, through helper_calls.hpp, in the functions it calls); step calls in those functions;
// and `catch (...)` handlers that swallow the run's suspension.
#pragma once

#include "discovery.hpp"

#include <clang/AST/Expr.h>

#include <vector>

namespace workflow::compiler {

/// A call inside a workflow body that wfc turns into a dispatch call: a step call, or a call of
/// another workflow (a child run). In a generic lambda the call may be dependent (its callee an
/// UnresolvedLookupExpr) when every instantiation calls `callee`; the callee expression may also
/// be a MemberExpr (`m.s(x)` for a static member step) or parenthesized.
struct JournaledCall {
  const clang::CallExpr* call;
  const TaggedFunction* callee;
};

/// Scans the definition of `workflow`; returns the journaled calls found (in source order).
/// Functions the body calls are checked once per translation unit however many workflows call
/// them (the state lives with `context`).
std::vector<JournaledCall> scan_workflow_body(const TaggedFunction& workflow, const Discovery& discovery,
                                              clang::ASTContext& context);

}  // namespace workflow::compiler
