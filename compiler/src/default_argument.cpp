// Default arguments written out at journaled calls: see default_argument.hpp.
#include "default_argument.hpp"

#include "discovery.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/QualTypeNames.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/Lexer.h>
#include <clang/Tooling/Core/Replacement.h>

namespace workflow::compiler {
namespace {

// Collects, inside one default argument's text, the spans that name a declaration and what to
// write instead.
class NameQualifier : public clang::RecursiveASTVisitor<NameQualifier> {
 public:
  NameQualifier(clang::ASTContext& context, clang::FileID file, unsigned begin, unsigned end)
      : context_(context), sources_(context.getSourceManager()), file_(file), begin_(begin), end_(end) {}

  bool shouldVisitImplicitCode() const { return false; }

  // The qualifier is replaced with the name, so it is not visited on its own.
  bool TraverseDeclRefExpr(clang::DeclRefExpr* reference, DataRecursionQueue* = nullptr) {
    const auto* decl = reference->getDecl();
    // Locals of a lambda in the default argument mean the same anywhere.
    bool local = decl->getDeclContext()->isFunctionOrMethod() || llvm::isa<clang::ParmVarDecl>(decl);
    // Only names spelled as such: an overloaded operator or a user-defined literal refers to its
    // function at the operator's or the literal's place.
    if (!local && reference->getLocation().isMacroID()) {
      // A macro's names would be looked up again where the macro is expanded: at the call.
      if (problem_.empty())
        problem_ = "it names '" + qualified_name_of(decl) + "' through a macro, which would look it up again at the call";
    } else if (!local && spelled_as_name(reference) && check_access(decl)) {
      auto first = reference->getQualifierLoc() ? reference->getQualifierLoc().getBeginLoc()
                                                : reference->getLocation();
      replace(first, reference->getLocation(), qualified_spelling(decl));
    }
    for (const auto& argument : reference->template_arguments()) TraverseTemplateArgumentLoc(argument);
    return true;
  }

  bool TraverseElaboratedTypeLoc(clang::ElaboratedTypeLoc type) {
    // `shop::Money`: the qualifier and the name are replaced together, by the named type.
    auto qualifier = type.getQualifierLoc();
    if (qualifier) qualifier_begin_ = qualifier.getBeginLoc();
    bool result = TraverseTypeLoc(type.getNamedTypeLoc());
    qualifier_begin_ = clang::SourceLocation();
    return result;
  }

  bool VisitTagTypeLoc(clang::TagTypeLoc type) {
    if (!check_access(type.getDecl())) return true;
    clang::PrintingPolicy policy(context_.getLangOpts());
    policy.SuppressUnwrittenScope = true;
    name_type(type.getNameLoc(),
              clang::TypeName::getFullyQualifiedName(clang::QualType(type.getTypePtr(), 0), context_, policy, true));
    return true;
  }

  bool VisitTypedefTypeLoc(clang::TypedefTypeLoc type) {
    if (type.getTypedefNameDecl()->getDeclContext()->isFunctionOrMethod()) return true;
    if (!check_access(type.getTypedefNameDecl())) return true;
    name_type(type.getNameLoc(), "::" + qualified_name_of(type.getTypedefNameDecl()));
    return true;
  }

  // `Pair{1, 2}`: the template whose arguments are deduced.
  bool VisitDeducedTemplateSpecializationTypeLoc(clang::DeducedTemplateSpecializationTypeLoc type) {
    name_template(type.getTypePtr()->getTemplateName(), type.getTemplateNameLoc());
    return true;
  }

  // A user-defined literal's operator is found by lookup where the default is written, and the
  // literal cannot be spelled with a qualified operator.
  bool VisitUserDefinedLiteral(clang::UserDefinedLiteral* literal) {
    if (problem_.empty()) problem_ = "it uses a user-defined literal, whose operator is looked up where it is written";
    (void)literal;
    return true;
  }

  bool VisitTemplateSpecializationTypeLoc(clang::TemplateSpecializationTypeLoc type) {
    name_template(type.getTypePtr()->getTemplateName(), type.getTemplateNameLoc());
    return true;
  }

  // `::ns::name`, or for a member of a class template's specialization the class spelled with
  // fully qualified arguments: `::billing::Limits<::billing::Money>::max`.
  std::string qualified_spelling(const clang::NamedDecl* decl) const {
    if (const auto* parent = llvm::dyn_cast<clang::CXXRecordDecl>(decl->getDeclContext())) {
      clang::PrintingPolicy policy(context_.getLangOpts());
      policy.SuppressUnwrittenScope = true;
      return clang::TypeName::getFullyQualifiedName(context_.getRecordType(parent), context_, policy, true) +
             "::" + decl->getNameAsString();
    }
    return "::" + qualified_name_of(decl);
  }

  bool spelled_as_name(const clang::DeclRefExpr* reference) const {
    const auto* decl = reference->getDecl();
    if (!decl->getDeclName().isIdentifier() || reference->getLocation().isMacroID()) return false;
    clang::Token token;
    if (clang::Lexer::getRawToken(reference->getLocation(), token, sources_, context_.getLangOpts())) return false;
    return token.is(clang::tok::raw_identifier) && token.getRawIdentifier() == decl->getName();
  }

  const clang::tooling::Replacements& replacements() const { return replacements_; }
  const std::string& problem() const { return problem_; }

 private:
  void name_template(clang::TemplateName name, clang::SourceLocation where) {
    const auto* pattern = name.getAsTemplateDecl();
    if (pattern && check_access(pattern)) name_type(where, "::" + qualified_name_of(pattern));
  }

  void name_type(clang::SourceLocation name, std::string text) {
    auto first = qualifier_begin_.isValid() ? qualifier_begin_ : name;
    qualifier_begin_ = clang::SourceLocation();
    if (name.isMacroID()) {
      if (problem_.empty()) problem_ = "it names the type '" + text.substr(2) + "' through a macro, which would look it up again at the call";
      return;
    }
    replace(first, name, std::move(text));
  }

  // A member the declaration could use but a caller elsewhere cannot name.
  bool check_access(const clang::NamedDecl* decl) {
    for (const clang::Decl* scope = decl; scope; scope = llvm::dyn_cast<clang::Decl>(scope->getDeclContext())) {
      if (scope->getAccess() == clang::AS_private || scope->getAccess() == clang::AS_protected) {
        if (problem_.empty())
          problem_ = "it names '" + qualified_name_of(decl) + "', which is not accessible outside its class";
        return false;
      }
      if (scope->getDeclContext()->isFileContext()) break;
    }
    return true;
  }

  void replace(clang::SourceLocation first, clang::SourceLocation last_token, std::string text) {
    // Text inside a macro's expansion is left as it was written: the macro expands the same way at
    // the call.
    if (first.isMacroID() || last_token.isMacroID()) return;
    auto [file, from] = sources_.getDecomposedLoc(first);
    auto end = clang::Lexer::getLocForEndOfToken(last_token, 0, sources_, context_.getLangOpts());
    unsigned to = sources_.getFileOffset(end);
    if (file != file_ || from < begin_ || to > end_ || to < from) return;
    auto error = replacements_.add(clang::tooling::Replacement(sources_.getFilename(first), from - begin_,
                                                               to - from, text));
    if (error) {
      llvm::consumeError(std::move(error));
      if (problem_.empty()) problem_ = "wfc could not qualify the names it uses";
    }
  }

  clang::ASTContext& context_;
  const clang::SourceManager& sources_;
  clang::FileID file_;
  unsigned begin_;
  unsigned end_;
  clang::SourceLocation qualifier_begin_;
  clang::tooling::Replacements replacements_;
  std::string problem_;
};

// `text` without comments and line breaks: tokens that were apart stay one space apart. False
// when a token itself spans lines (a raw string literal), which cannot be moved onto one line.
bool on_one_line(const std::string& text, const clang::LangOptions& options, std::string& out) {
  clang::Lexer lexer(clang::SourceLocation(), options, text.data(), text.data(), text.data() + text.size());
  clang::Token token;
  out.clear();
  std::size_t previous_end = 0;
  for (;;) {
    lexer.LexFromRawLexer(token);
    if (token.is(clang::tok::eof)) break;
    // A raw lexer over a buffer of its own numbers locations by offset.
    std::size_t offset = token.getLocation().getRawEncoding();
    std::string spelled = text.substr(offset, token.getLength());
    if (spelled.find('\n') != std::string::npos) return false;
    if (out.empty() && spelled == "=") {  // `= {}`: the range of a braced default starts at '='
      previous_end = offset + token.getLength();
      continue;
    }
    if (!out.empty() && offset > previous_end) out += ' ';
    out += spelled;
    previous_end = offset + token.getLength();
  }
  return true;
}

}  // namespace

std::optional<std::string> portable_default_argument(const clang::ParmVarDecl* parameter,
                                                     clang::ASTContext& context, std::string& problem) {
  const auto& sources = context.getSourceManager();
  const clang::Expr* expression = parameter->hasUninstantiatedDefaultArg()
                                      ? parameter->getUninstantiatedDefaultArg()
                                      : parameter->getDefaultArg();
  if (!expression) {
    problem = "it has no default argument wfc can read";
    return std::nullopt;
  }
  auto range = sources.getExpansionRange(parameter->getDefaultArgRange());
  auto begin = range.getBegin();
  auto end = range.isTokenRange()
                 ? clang::Lexer::getLocForEndOfToken(range.getEnd(), 0, sources, context.getLangOpts())
                 : range.getEnd();
  auto [file, from] = sources.getDecomposedLoc(begin);
  unsigned to = sources.getFileOffset(end);
  bool invalid = false;
  llvm::StringRef buffer = sources.getBufferData(file, &invalid);
  if (invalid || to < from || to > buffer.size()) {
    problem = "wfc cannot read its text";
    return std::nullopt;
  }
  std::string text = buffer.slice(from, to).str();

  NameQualifier qualifier(context, file, from, to);
  qualifier.TraverseStmt(const_cast<clang::Expr*>(expression));
  if (!qualifier.problem().empty()) {
    problem = qualifier.problem();
    return std::nullopt;
  }
  auto qualified = clang::tooling::applyAllReplacements(text, qualifier.replacements());
  if (!qualified) {
    llvm::consumeError(qualified.takeError());
    problem = "wfc could not qualify the names it uses";
    return std::nullopt;
  }
  std::string line;
  if (!on_one_line(*qualified, context.getLangOpts(), line)) {
    problem = "it contains a raw string literal spanning lines";
    return std::nullopt;
  }
  return line;
}

}  // namespace workflow::compiler
