// Checks a workflow's or step's declaration: what kind of function it is (templates, coroutines,
// non-static members and variadic functions cannot be dispatched by ID) and whether its
// parameters and result can cross the journal (serializable values, const references or rvalue
// references as parameters; no mutable references, no pointers, no rvalue-reference results).
#pragma once

#include "discovery.hpp"
#include "serializable_type.hpp"

namespace workflow::compiler {

/// Reports every problem of `function`; returns false when there was one.
bool check_signature(const TaggedFunction& function, clang::ASTContext& context, SerializableTypes& types);

}  // namespace workflow::compiler
