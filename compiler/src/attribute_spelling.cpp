// Misspelt workflow attributes: see attribute_spelling.hpp.
#include "attribute_spelling.hpp"

#include "diagnostics.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/Basic/DiagnosticSema.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/Lexer.h>
#include <llvm/ADT/StringRef.h>

namespace workflow::compiler {

AttributeSpellingFilter::AttributeSpellingFilter(std::unique_ptr<clang::DiagnosticConsumer> printer)
    : printer_(std::move(printer)) {}

void AttributeSpellingFilter::BeginSourceFile(const clang::LangOptions& options,
                                              const clang::Preprocessor* preprocessor) {
  options_ = options;
  printer_->BeginSourceFile(options, preprocessor);
}

void AttributeSpellingFilter::EndSourceFile() { printer_->EndSourceFile(); }
void AttributeSpellingFilter::finish() { printer_->finish(); }

void AttributeSpellingFilter::HandleDiagnostic(clang::DiagnosticsEngine::Level level,
                                               const clang::Diagnostic& info) {
  if (info.getID() == clang::diag::warn_unknown_attribute_ignored && info.hasSourceManager() &&
      info.getLocation().isValid()) {
    const auto& sources = info.getSourceManager();
    auto location = sources.getSpellingLoc(info.getLocation());
    clang::Token scope;
    if (!clang::Lexer::getRawToken(location, scope, sources, options_) && scope.is(clang::tok::raw_identifier) &&
        scope.getRawIdentifier() == "workflow") {
      auto colons = clang::Lexer::findNextToken(location, sources, options_);
      auto name = colons ? clang::Lexer::findNextToken(colons->getLocation(), sources, options_) : std::nullopt;
      if (colons && colons->is(clang::tok::coloncolon) && name && name->is(clang::tok::raw_identifier)) {
        misspellings_.push_back({name->getLocation(), name->getRawIdentifier().str()});
        return;  // reported as an error by report_misspellings()
      }
    }
  }
  clang::DiagnosticConsumer::HandleDiagnostic(level, info);
  printer_->HandleDiagnostic(level, info);
}

void AttributeSpellingFilter::report_misspellings(clang::ASTContext& context) {
  for (const auto& misspelling : misspellings_) {
    llvm::StringRef spelled = misspelling.spelled;
    std::string suggestion =
        spelled.edit_distance("step") <= spelled.edit_distance("workflow") ? "step" : "workflow";
    auto range = clang::CharSourceRange::getCharRange(
        misspelling.name, misspelling.name.getLocWithOffset(static_cast<int>(spelled.size())));
    report_error(context, misspelling.name, "unknown-workflow-attribute",
                 "unknown attribute 'workflow::" + misspelling.spelled + "'",
                 "did you mean 'workflow::" + suggestion + "'?",
                 clang::FixItHint::CreateReplacement(range, suggestion));
  }
  misspellings_.clear();
}

}  // namespace workflow::compiler
