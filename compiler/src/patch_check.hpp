// Checks the calls of the runtime's versioning functions, `workflow::patched` and
// `workflow::deprecate_patch` (runtime/include/workflow/versioning.hpp). wfc does not rewrite
// them; it checks what the runtime cannot check until a replay goes wrong:
// - the change ID is a string literal (patch-id-not-literal): it is recorded in the journal, so it
//   must not depend on data; a macro that expands to a literal is still a literal at the call,
//   a variable (even constexpr) is not;
// - a change ID appears once in a workflow body, its lambdas included (duplicate-patch-id);
// - neither is called in a step (patch-in-step): a step is not replayed, so a patch there means
//   nothing.
//
// Glossary:
// - patch call: a call of `workflow::patched` or `workflow::deprecate_patch`, also when a generic
//   lambda resolves it only on instantiation (its argument depends on the lambda's parameters).
// - change ID: the argument of a patch call.
#pragma once

#include "discovery.hpp"

namespace workflow::compiler {

/// Reports the problems of the patch calls written in the definition of `function` (a workflow or
/// a step) and in the lambdas inside it. Definitions in system headers are not checked.
void check_patch_calls(const TaggedFunction& function, clang::ASTContext& context);

}  // namespace workflow::compiler
