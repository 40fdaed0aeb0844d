// Misspelt workflow attributes (`[[workflow::stepp]]`). Clang only warns that it ignores an
// unknown attribute, and the function silently stops being durable; wfc makes that an error with
// a suggestion. This diagnostic consumer sits in front of clang's printer: it holds back clang's
// warning for attributes in the `workflow` scope and remembers them for report_misspellings().
#pragma once

#include <clang/Basic/Diagnostic.h>
#include <clang/Basic/LangOptions.h>

#include <memory>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
}

namespace workflow::compiler {

class AttributeSpellingFilter : public clang::DiagnosticConsumer {
 public:
  explicit AttributeSpellingFilter(std::unique_ptr<clang::DiagnosticConsumer> printer);

  void BeginSourceFile(const clang::LangOptions& options, const clang::Preprocessor* preprocessor) override;
  void EndSourceFile() override;
  void finish() override;
  void HandleDiagnostic(clang::DiagnosticsEngine::Level level, const clang::Diagnostic& info) override;

  /// Reports each misspelt attribute seen while parsing as an error, with a fix-it.
  void report_misspellings(clang::ASTContext& context);

 private:
  struct Misspelling {
    clang::SourceLocation name;
    std::string spelled;
  };
  std::unique_ptr<clang::DiagnosticConsumer> printer_;
  clang::LangOptions options_;
  std::vector<Misspelling> misspellings_;
};

}  // namespace workflow::compiler
