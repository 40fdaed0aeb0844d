// Discovery of tagged functions across redeclarations: see discovery.hpp.
#include "discovery.hpp"

#include "diagnostics.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Attr.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/SourceManager.h>

#include <optional>

namespace workflow::compiler {
namespace {

struct Annotation {
  EntityKind kind;
  std::string explicit_id;
  clang::SourceLocation where;
};

// The annotations/ registration turns `[[workflow::step("x")]]` into AnnotateAttr "workflow::step=x".
std::optional<Annotation> annotation_of(const clang::FunctionDecl* decl) {
  for (const auto* attribute : decl->specific_attrs<clang::AnnotateAttr>()) {
    // Clang copies attributes onto later redeclarations; only the written ones count here.
    if (attribute->isInherited()) continue;
    llvm::StringRef text = attribute->getAnnotation();
    auto [name, id] = text.split('=');
    if (name == "workflow::workflow") return Annotation{EntityKind::workflow, id.str(), attribute->getLocation()};
    if (name == "workflow::step") return Annotation{EntityKind::step, id.str(), attribute->getLocation()};
  }
  return std::nullopt;
}

class FunctionCollector : public clang::RecursiveASTVisitor<FunctionCollector> {
 public:
  explicit FunctionCollector(std::vector<const clang::FunctionDecl*>& out) : out_(out) {}
  bool shouldVisitTemplateInstantiations() const { return false; }
  bool VisitFunctionDecl(clang::FunctionDecl* decl) {
    if (decl->hasAttr<clang::AnnotateAttr>()) out_.push_back(decl);
    return true;
  }

 private:
  std::vector<const clang::FunctionDecl*>& out_;
};

}  // namespace

std::string qualified_name_of(const clang::NamedDecl* decl) {
  clang::PrintingPolicy policy(decl->getASTContext().getLangOpts());
  policy.SuppressUnwrittenScope = true;  // anonymous and inline namespaces
  policy.SuppressTemplateArgsInCXXConstructors = true;
  std::string name;
  llvm::raw_string_ostream stream(name);
  decl->printQualifiedName(stream, policy);
  return stream.str();
}

Discovery::Discovery(clang::ASTContext& context, std::string root)
    : context_(context), root_(std::move(root)) {}

void Discovery::run() {
  std::vector<const clang::FunctionDecl*> annotated;
  FunctionCollector(annotated).TraverseDecl(context_.getTranslationUnitDecl());
  for (const auto* decl : annotated) consider(decl);
  report_id_collisions();
}

void Discovery::consider(const clang::FunctionDecl* decl) {
  const auto* canonical = decl->getCanonicalDecl();
  if (by_canonical_.count(canonical)) return;
  // The redeclarations in source order; the first tagged one names the file of the ID.
  std::vector<const clang::FunctionDecl*> redeclarations;
  for (const auto* redeclaration : canonical->redecls()) redeclarations.push_back(redeclaration);
  const auto& sources = context_.getSourceManager();
  std::sort(redeclarations.begin(), redeclarations.end(), [&](auto* a, auto* b) {
    return sources.isBeforeInTranslationUnit(a->getLocation(), b->getLocation());
  });

  std::optional<Annotation> first;
  const clang::FunctionDecl* tagged = nullptr;
  for (const auto* redeclaration : redeclarations) {
    auto annotation = annotation_of(redeclaration);
    if (!annotation) continue;
    if (!first) {
      first = annotation;
      tagged = redeclaration;
      continue;
    }
    if (annotation->kind != first->kind) {
      report_error(context_, annotation->where, "conflicting-attributes",
                   "'" + qualified_name_of(decl) + "' is declared both a workflow and a step",
                   "a function is either the orchestration (workflow) or a unit of work (step); "
                   "keep one attribute");
      report_note(context_, first->where, "first declared here");
    } else if (!annotation->explicit_id.empty() && !first->explicit_id.empty() &&
               annotation->explicit_id != first->explicit_id) {
      report_error(context_, annotation->where, "conflicting-ids",
                   "'" + qualified_name_of(decl) + "' is given the ID '" + annotation->explicit_id +
                       "' here but '" + first->explicit_id + "' before",
                   "give the explicit ID on one declaration only, or the same on all");
      report_note(context_, first->where, "first ID given here");
    } else if (first->explicit_id.empty()) {
      first->explicit_id = annotation->explicit_id;
    }
  }
  if (!first) return;

  TaggedFunction function;
  function.kind = first->kind;
  function.canonical = canonical;
  function.tagged = tagged;
  function.definition = nullptr;
  for (const auto* redeclaration : redeclarations) {
    if (redeclaration->doesThisDeclarationHaveABody()) function.definition = redeclaration;
  }
  function.qualified_name = qualified_name_of(canonical);
  function.explicit_id = first->explicit_id;
  auto file = sources.getFilename(sources.getExpansionLoc(tagged->getLocation()));
  function.id = stable_id(function.kind, function.explicit_id, file.str(), root_, function.qualified_name);
  by_canonical_[canonical] = functions_.size();
  functions_.push_back(std::move(function));
}

void Discovery::report_id_collisions() {
  std::map<std::string, const TaggedFunction*> by_id;
  for (const auto& function : functions_) {
    auto [existing, inserted] = by_id.emplace(function.id, &function);
    if (inserted) continue;
    const auto* other = existing->second;
    bool overloads = other->qualified_name == function.qualified_name;
    report_error(context_, function.tagged->getLocation(), "id-collision",
                 std::string(overloads ? "overloads of '" + function.qualified_name + "' share"
                                       : "'" + function.qualified_name + "' and '" +
                                             other->qualified_name + "' share") +
                     " the stable ID '" + function.id + "'",
                 std::string("give one of them an explicit ID, as in [[workflow::") +
                     std::string(kind_name(function.kind)) + "(\"" + function.qualified_name +
                     "-v2\")]]");
    report_note(context_, other->tagged->getLocation(), "the other one is declared here");
  }
}

const TaggedFunction* Discovery::find(const clang::FunctionDecl* decl) const {
  if (!decl) return nullptr;
  auto found = by_canonical_.find(decl->getCanonicalDecl());
  return found == by_canonical_.end() ? nullptr : &functions_[found->second];
}

}  // namespace workflow::compiler
