// Clang-style diagnostics for wfc's checks: see diagnostics.hpp.
#include "diagnostics.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/Basic/SourceManager.h>

namespace workflow::compiler {

void report_error(clang::ASTContext& context, clang::SourceLocation where, const std::string& name,
                  const std::string& message, const std::string& hint, const clang::FixItHint& fix) {
  auto& diagnostics = context.getDiagnostics();
  // Custom IDs are interned by text; "%0" keeps the messages from being parsed as formats.
  unsigned error = diagnostics.getCustomDiagID(clang::DiagnosticsEngine::Error, "%0");
  {
    // Emitted when the builder goes out of scope, so before the note.
    auto builder = diagnostics.Report(where, error);
    builder << (message + " [" + name + "]");
    if (!fix.isNull()) builder << fix;
  }
  if (!hint.empty()) report_note(context, where, "hint: " + hint);
}

void report_note(clang::ASTContext& context, clang::SourceLocation where, const std::string& message) {
  auto& diagnostics = context.getDiagnostics();
  unsigned note = diagnostics.getCustomDiagID(clang::DiagnosticsEngine::Note, "%0");
  diagnostics.Report(where, note) << message;
}

bool line_has_comment(clang::ASTContext& context, clang::SourceLocation where, const char* comment) {
  const auto& sources = context.getSourceManager();
  auto location = sources.getExpansionLoc(where);
  auto [file, offset] = sources.getDecomposedLoc(location);
  bool invalid = false;
  llvm::StringRef buffer = sources.getBufferData(file, &invalid);
  if (invalid) return false;
  // From the start of the previous line to the end of this one.
  std::size_t line_start = buffer.rfind('\n', offset == 0 ? 0 : offset - 1);
  line_start = line_start == llvm::StringRef::npos ? 0 : line_start;
  std::size_t previous_start = line_start == 0 ? 0 : buffer.rfind('\n', line_start - 1);
  previous_start = previous_start == llvm::StringRef::npos ? 0 : previous_start;
  std::size_t line_end = buffer.find('\n', offset);
  if (line_end == llvm::StringRef::npos) line_end = buffer.size();
  return buffer.slice(previous_start, line_end).contains(comment);
}

}  // namespace workflow::compiler
