// Signature checks for workflows and steps: see signature_check.hpp.
#include "signature_check.hpp"

#include "diagnostics.hpp"
#include "serializable_type.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/StmtCXX.h>

namespace workflow::compiler {
namespace {

std::string describe(const TaggedFunction& function) {
  return std::string(kind_name(function.kind)) + " '" + function.qualified_name + "'";
}

bool check_kind(const TaggedFunction& function, clang::ASTContext& context) {
  const auto* decl = function.definition ? function.definition : function.tagged;
  auto where = function.tagged->getLocation();
  if (decl->isTemplated() || decl->getPrimaryTemplate() || decl->getDescribedFunctionTemplate()) {
    report_error(context, where, "unsupported-function-kind",
                 describe(function) + " is a template, which cannot be journaled under one stable ID",
                 "tag a non-template function that calls the template with concrete types");
    return false;
  }
  if (const auto* method = llvm::dyn_cast<clang::CXXMethodDecl>(decl); method && !method->isStatic()) {
    report_error(context, where, "unsupported-function-kind",
                 describe(function) + " is a non-static member function; there is no object to "
                                      "call it on when a run resumes in another process",
                 "make it a static member or a free function taking the object's data as a parameter");
    return false;
  }
  if (decl->isVariadic()) {
    report_error(context, where, "unsupported-function-kind",
                 describe(function) + " is variadic; its arguments cannot be journaled",
                 "take a std::vector or a struct instead of '...'");
    return false;
  }
  if (function.definition && llvm::isa_and_nonnull<clang::CoroutineBodyStmt>(function.definition->getBody())) {
    report_error(context, where, "unsupported-function-kind",
                 describe(function) + " is a coroutine; a run suspends and resumes through the "
                                      "journal, not through co_await",
                 "use workflow::sleep or a step instead of co_await");
    return false;
  }
  return true;
}

bool check_type(const TaggedFunction& function, clang::ASTContext& context, SerializableTypes& types,
                clang::QualType type, clang::SourceLocation where, const std::string& what) {
  if (what == "the result" && type->isRValueReferenceType()) {
    report_error(context, where, "rvalue-reference-result",
                 "the result of " + describe(function) + " is an rvalue reference ('" +
                     type.getAsString(context.getPrintingPolicy()) +
                     "'); on replay there is no object for it to refer to",
                 "return the value itself");
    return false;
  }
  if (type->isReferenceType() && !type.getNonReferenceType().isConstQualified() &&
      !type->isRValueReferenceType()) {
    report_error(context, where, "mutable-reference",
                 what + " of " + describe(function) + " is a non-const reference ('" +
                     type.getAsString(context.getPrintingPolicy()) +
                     "'); changes to it would be lost, because on replay the value comes from the journal",
                 "take it by value or by const reference, and return what changes");
    return false;
  }
  if (type.getNonReferenceType()->isPointerType()) {
    report_error(context, where, "pointer-in-signature",
                 what + " of " + describe(function) + " is a pointer ('" +
                     type.getAsString(context.getPrintingPolicy()) +
                     "'), which cannot be journaled: it means nothing in another process",
                 "pass the value itself (std::string instead of const char*, a struct instead of a pointer to it)");
    return false;
  }
  const clang::FieldDecl* member = nullptr;
  auto problem = types.non_serializable_part(type, where, &member);
  if (problem.empty()) return true;
  report_error(context, where, "non-serializable",
               what + " of " + describe(function) + " has type '" +
                   type.getAsString(context.getPrintingPolicy()) + "', which is not serializable" +
                   (problem != type.getNonReferenceType().getUnqualifiedType().getAsString(context.getPrintingPolicy())
                        ? " ('" + problem + "' is not)"
                        : ""),
               "give '" + problem + "' to_json/from_json functions, e.g. NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(" +
                   problem + ", field1, field2)");
  if (member) {
    report_note(context, member->getLocation(),
                "member '" + member->getNameAsString() + "' of '" + qualified_name_of(member->getParent()) +
                    "' has type '" + member->getType().getAsString(context.getPrintingPolicy()) +
                    "'; wfc writes JSON conversions for a plain struct only when every member serializes");
  }
  return false;
}

}  // namespace

bool check_signature(const TaggedFunction& function, clang::ASTContext& context, SerializableTypes& types) {
  if (!check_kind(function, context)) return false;
  const auto* decl = function.tagged;
  bool ok = true;
  for (const auto* parameter : decl->parameters()) {
    std::string what = "parameter '" + parameter->getNameAsString() + "'";
    if (parameter->getName().empty()) what = "parameter " + std::to_string(parameter->getFunctionScopeIndex() + 1);
    ok &= check_type(function, context, types, parameter->getType(), parameter->getLocation(), what);
  }
  ok &= check_type(function, context, types, decl->getReturnType(), decl->getLocation(), "the result");
  return ok;
}

}  // namespace workflow::compiler
