// The attribute spellings [[workflow::workflow]] and [[workflow::step]], registered with clang.
//
// Clang drops unknown scoped attributes from the AST, so wfc (and clang or clangd with this file
// loaded as a plugin) registers both spellings. Each accepted attribute becomes an AnnotateAttr on
// the declaration: `workflow::step` or `workflow::step=<explicit id>`, which is all the compiler
// reads (compiler/src/discovery.cpp).
//
// Clang parses the argument list of a scoped plugin attribute away (getNumArgs() is 0), so the
// optional string ID is read back by lexing the tokens after the attribute name.
#include <clang/AST/ASTContext.h>
#include <clang/AST/Attr.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/Lexer.h>
#include <clang/Sema/ParsedAttr.h>
#include <clang/Sema/Sema.h>

#include <optional>
#include <string>

namespace workflow::annotations {
namespace {

using namespace clang;

/// The tokens written after the attribute name: nothing, or `( "id" )`.
struct ParsedId {
  bool ok = true;
  std::optional<std::string> id;
  SourceLocation problem;
};

std::optional<Token> next_token(SourceLocation after, const SourceManager& sources,
                                const LangOptions& options) {
  return Lexer::findNextToken(after, sources, options);
}

// `location` is the attribute's scope token (`workflow`); walks `:: name ( "literal" )`.
ParsedId read_explicit_id(SourceLocation location, const ASTContext& context) {
  const SourceManager& sources = context.getSourceManager();
  const LangOptions& options = context.getLangOpts();
  ParsedId result;
  if (location.isMacroID()) location = sources.getSpellingLoc(location);
  auto colons = next_token(location, sources, options);
  if (!colons || colons->isNot(tok::coloncolon)) return result;
  auto name = next_token(colons->getLocation(), sources, options);
  if (!name) return result;
  auto open = next_token(name->getLocation(), sources, options);
  if (!open || open->isNot(tok::l_paren)) return result;
  auto literal = next_token(open->getLocation(), sources, options);
  if (!literal || literal->isNot(tok::string_literal)) {
    result.ok = false;
    result.problem = literal ? literal->getLocation() : open->getLocation();
    return result;
  }
  auto close = next_token(literal->getLocation(), sources, options);
  if (!close || close->isNot(tok::r_paren)) {
    result.ok = false;
    result.problem = close ? close->getLocation() : literal->getLocation();
    return result;
  }
  std::string spelled = Lexer::getSpelling(*literal, sources, options);
  // A plain "..." literal: strip the quotes; escapes are not meaningful in an ID.
  std::string id = spelled.substr(1, spelled.size() - 2);
  if (id.empty() || id.find_first_of("\\\n\t ") != std::string::npos) {
    result.ok = false;
    result.problem = literal->getLocation();
    return result;
  }
  result.id = id;
  return result;
}

template <const char* Name>
struct WorkflowAttrInfo : ParsedAttrInfo {
  WorkflowAttrInfo() {
    OptArgs = 1;
    static constexpr Spelling spellings[] = {{ParsedAttr::AS_CXX11, Name}};
    Spellings = spellings;
  }

  bool diagAppertainsToDecl(Sema& sema, const ParsedAttr& attribute, const Decl* decl) const override {
    if (isa<FunctionDecl>(decl) || isa<FunctionTemplateDecl>(decl)) return true;
    unsigned id = sema.getDiagnostics().getCustomDiagID(
        DiagnosticsEngine::Error, "'%0' attribute only applies to functions");
    sema.Diag(attribute.getLoc(), id) << Name;
    return false;
  }

  AttrHandling handleDeclAttribute(Sema& sema, Decl* decl, const ParsedAttr& attribute) const override {
    ParsedId parsed = read_explicit_id(attribute.getLoc(), sema.getASTContext());
    if (!parsed.ok) {
      unsigned id = sema.getDiagnostics().getCustomDiagID(
          DiagnosticsEngine::Error,
          "'%0' takes one optional argument, a string literal ID without spaces or escapes, as in "
          "[[%0(\"charge-v1\")]]");
      sema.Diag(parsed.problem, id) << Name;
      return AttributeNotApplied;
    }
    std::string annotation = Name;
    if (parsed.id) annotation += "=" + *parsed.id;
    decl->addAttr(AnnotateAttr::Create(sema.Context, annotation, nullptr, 0, attribute.getRange()));
    return AttributeApplied;
  }
};

constexpr char kWorkflowSpelling[] = "workflow::workflow";
constexpr char kStepSpelling[] = "workflow::step";

}  // namespace

// Not in the anonymous namespace: wfc links this object library and refers to nothing in it,
// so these registrations are what keeps it alive (see annotations/CMakeLists.txt).
static ParsedAttrInfoRegistry::Add<WorkflowAttrInfo<kWorkflowSpelling>> workflow_attribute(
    "workflow::workflow", "marks a durable workflow function");
static ParsedAttrInfoRegistry::Add<WorkflowAttrInfo<kStepSpelling>> step_attribute(
    "workflow::step", "marks a journaled workflow step");

}  // namespace workflow::annotations
