// Whether a type can cross the journal: nlohmann_json must be able to write and read it back.
//
// The runtime enforces this again with a static_assert when the rewritten file compiles; wfc
// checks first so the error points at the step's signature, not into a template.
#pragma once

#include <clang/AST/Type.h>

#include <string>

namespace clang {
class ASTContext;
}

namespace workflow::compiler {

/// Empty when `type` serializes; otherwise the name of the first part that does not (the type
/// itself or, for `std::vector<Socket>`, `Socket`).
std::string non_serializable_part(clang::QualType type, clang::ASTContext& context);

}  // namespace workflow::compiler
