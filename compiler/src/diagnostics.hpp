// Clang-style diagnostics for wfc's own checks: `file:line:col: error: ... [name]` plus a note
// with the hint, through the translation unit's DiagnosticsEngine so they print, count and stop
// the output exactly like clang's own errors.
#pragma once

#include <clang/Basic/Diagnostic.h>
#include <clang/Basic/SourceLocation.h>

#include <string>

namespace clang {
class ASTContext;
}

namespace workflow::compiler {

/// Reports an error named `name` (one kebab-case name per diagnostic, shown in brackets as clang
/// shows a warning flag), then `hint` as a note at the same place when not empty.
void report_error(clang::ASTContext& context, clang::SourceLocation where, const std::string& name,
                  const std::string& message, const std::string& hint,
                  const clang::FixItHint& fix = clang::FixItHint());

/// A note attached to the previous error, at another place.
void report_note(clang::ASTContext& context, clang::SourceLocation where, const std::string& message);

/// The comment that suppresses the non-determinism check, on the call's line or the line above.
inline constexpr const char* kAllowNondeterminism = "workflow: allow-nondeterminism";

/// Whether `comment` appears on the line of `where` or on the line before it.
bool line_has_comment(clang::ASTContext& context, clang::SourceLocation where, const char* comment);

}  // namespace workflow::compiler
