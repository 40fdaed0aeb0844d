// A callee's default argument, written out at a journaled call.
//
// The journaled call passes every argument explicitly, so wfc writes the defaults the user left
// out. Their text cannot be copied as it stands: names in a default argument are bound where the
// function is declared, not where it is called, so `kFee` copied into another namespace may name
// another `kFee`. Each name the expression refers to is written fully qualified (`::shop::kFee`,
// `::shop::Money{5}`), and the text is put on one line without comments, so no line of the
// original moves.
#pragma once

#include <clang/AST/Decl.h>

#include <optional>
#include <string>

namespace clang {
class ASTContext;
}

namespace workflow::compiler {

/// The default argument of `parameter` as text that means the same at any call site, or nothing
/// when it cannot be written so (the reason is in `problem`).
std::optional<std::string> portable_default_argument(const clang::ParmVarDecl* parameter,
                                                     clang::ASTContext& context, std::string& problem);

}  // namespace workflow::compiler
