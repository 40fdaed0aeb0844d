// Generated JSON conversions for aggregates: see aggregate_serializer.hpp.
#include "aggregate_serializer.hpp"

#include "discovery.hpp"
#include "source_rewriter.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/QualTypeNames.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/Lexer.h>

#include <map>

namespace workflow::compiler {
namespace {

// The class whose definition the record's is part of (itself, or the outermost enclosing class).
const clang::CXXRecordDecl* outermost_class(const clang::CXXRecordDecl* record) {
  while (const auto* parent = llvm::dyn_cast<clang::CXXRecordDecl>(record->getDeclContext())) record = parent;
  return record;
}

// Whether the main file's text at `where` is inside a definition of `space` (a header included
// inside `namespace app { ... }`).
bool open_at(const clang::NamespaceDecl* space, clang::SourceLocation where, const clang::SourceManager& sources) {
  for (const auto* part : space->redecls()) {
    auto begin = sources.getExpansionLoc(part->getBeginLoc());
    auto end = sources.getExpansionLoc(part->getRBraceLoc());
    if (sources.isInMainFile(begin) && sources.isBeforeInTranslationUnit(begin, where) &&
        sources.isBeforeInTranslationUnit(where, end))
      return true;
  }
  return false;
}

// The namespaces around `record` that are not open at `where`, outermost first, as
// `namespace a {` openers.
std::vector<std::string> namespace_openers(const clang::CXXRecordDecl* record, clang::SourceLocation where,
                                           const clang::SourceManager& sources) {
  std::vector<std::string> openers;
  for (const auto* scope = record->getDeclContext(); scope; scope = scope->getParent()) {
    const auto* space = llvm::dyn_cast<clang::NamespaceDecl>(scope);
    if (!space) continue;
    if (open_at(space, where, sources)) break;  // it and the ones around it are open already
    std::string opener = space->isInline() ? "inline namespace " : "namespace ";
    opener += space->isAnonymousNamespace() ? std::string("{") : space->getName().str() + " {";
    openers.insert(openers.begin(), opener);
  }
  return openers;
}

}  // namespace

AggregateSerializers::AggregateSerializers(clang::ASTContext& context) : context_(context) {}

bool AggregateSerializers::eligible(const clang::CXXRecordDecl* record) const {
  if (!record || !record->hasDefinition()) return false;
  record = record->getDefinition();
  // A class template's specialization is left out: its conversions would have to come after every
  // type among its arguments, wherever those are defined.
  if (!record->isAggregate() || record->isUnion() || record->isLambda() || record->getNumBases() > 0 ||
      !record->getIdentifier() || llvm::isa<clang::ClassTemplateSpecializationDecl>(record))
    return false;
  // Namespace-scope functions cannot name a private or protected nested class.
  for (const clang::Decl* scope = record; llvm::isa<clang::CXXRecordDecl>(scope->getDeclContext());
       scope = llvm::cast<clang::Decl>(scope->getDeclContext())) {
    if (scope->getAccess() == clang::AS_private || scope->getAccess() == clang::AS_protected) return false;
  }
  const auto& sources = context_.getSourceManager();
  if (sources.isInSystemHeader(record->getLocation())) return false;
  // At namespace scope (possibly nested in classes), and not in an `extern "C"` block.
  for (const clang::DeclContext* scope = record->getDeclContext(); scope; scope = scope->getParent()) {
    if (scope->isFunctionOrMethod()) return false;
    if (const auto* linkage = llvm::dyn_cast<clang::LinkageSpecDecl>(scope);
        linkage && linkage->getLanguage() == clang::LinkageSpecLanguageIDs::C)
      return false;
  }
  for (const auto* field : record->fields()) {
    if (field->isUnnamedBitField()) continue;
    if (!field->getIdentifier() || field->getType()->isReferenceType() || field->getType().isConstQualified())
      return false;
  }
  return true;
}

void AggregateSerializers::request(const clang::CXXRecordDecl* record) {
  record = record->getDefinition();
  if (known_.insert(record).second) records_.push_back(record);
}

bool AggregateSerializers::requested(const clang::CXXRecordDecl* record) const {
  return record && record->hasDefinition() && known_.count(record->getDefinition());
}

std::vector<std::string> AggregateSerializers::names() const {
  std::vector<std::string> names;
  for (const auto* record : records_) names.push_back(qualified_name_of(record));
  return names;
}

std::string AggregateSerializers::conversions(const clang::CXXRecordDecl* record, clang::SourceLocation where,
                                              bool in_own_namespace) const {
  clang::PrintingPolicy policy(context_.getLangOpts());
  policy.SuppressUnwrittenScope = true;
  std::string type = clang::TypeName::getFullyQualifiedName(context_.getRecordType(record), context_, policy, true);
  std::string to = "inline void to_json(::nlohmann::json& json, const " + type + "& value) {\n"
                   "  json = ::nlohmann::json::object();\n";
  std::string from = "inline void from_json(const ::nlohmann::json& json, " + type + "& value) {\n";
  for (const auto* field : record->fields()) {
    if (field->isUnnamedBitField()) continue;
    std::string name = field->getName().str();
    to += "  json[\"" + name + "\"] = value." + name + ";\n";
    // A bit-field cannot be bound to get_to's reference; decltype names its declared type.
    std::string read = field->isBitField() ? "value." + name + " = found->get<decltype(value." + name + ")>();"
                                           : "found->get_to(value." + name + ");";
    from += "  if (auto found = json.find(\"" + name + "\"); found != json.end()) " + read + "\n";
  }
  to += "}\n";
  from += "}";
  std::string code = "// JSON conversions written by wfc for the aggregate " + qualified_name_of(record) + ".\n" + to + from;
  if (in_own_namespace) return code;
  auto openers = namespace_openers(record, where, context_.getSourceManager());
  std::string opened, closed;
  for (const auto& opener : openers) {
    opened += opener + " ";
    closed += "}";
  }
  return opened + "\n" + code + "\n" + closed;
}

void AggregateSerializers::emit(SourceRewriter& rewriter) const {
  const auto& sources = context_.getSourceManager();
  for (const auto* record : records_) {
    const auto* outer = outermost_class(record);
    auto definition = sources.getExpansionLoc(outer->getBraceRange().getEnd());
    if (sources.isInMainFile(definition)) {
      // After the `;` that ends the definition (`} value;` may follow the brace).
      auto end = definition;
      for (int i = 0; i < 64; ++i) {
        auto next = clang::Lexer::findNextToken(end, sources, context_.getLangOpts());
        if (!next) break;
        end = next->getLocation();
        if (next->is(clang::tok::semi)) break;
      }
      rewriter.add_lines_after(end, conversions(record, end, true), sources.getPresumedLineNumber(definition));
      continue;
    }
    // From a header: after the main file's #include that brings it in.
    auto file = sources.getFileID(definition);
    auto included_at = sources.getIncludeLoc(file);
    while (included_at.isValid() && !sources.isInMainFile(included_at)) {
      file = sources.getFileID(included_at);
      included_at = sources.getIncludeLoc(file);
    }
    std::string code = conversions(record, included_at, false);
    if (included_at.isValid()) {
      rewriter.add_lines_after(included_at, code, 0);
    } else {
      rewriter.add_lines_at_start(code);  // a header given on the command line (-include)
    }
  }
}

}  // namespace workflow::compiler
