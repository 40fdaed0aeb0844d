// The checks of workflow::patched and workflow::deprecate_patch calls: see patch_check.hpp.
#include "patch_check.hpp"

#include "diagnostics.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/SourceManager.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace workflow::compiler {
namespace {

bool is_patch_function(const clang::NamedDecl* decl) {
  const auto* function = llvm::dyn_cast_or_null<clang::FunctionDecl>(decl ? decl->getUnderlyingDecl() : nullptr);
  if (!function) return false;
  std::string name = qualified_name_of(function);
  return name == "workflow::patched" || name == "workflow::deprecate_patch";
}

// The patch function `call` calls ("workflow::patched"), if any. In a generic lambda a call whose
// argument depends on the lambda's parameters is resolved only on instantiation; its callee is
// then a lookup that found the function.
std::optional<std::string> patch_function_called(const clang::CallExpr* call) {
  if (const auto* callee = call->getDirectCallee()) {
    if (is_patch_function(callee)) return qualified_name_of(callee);
    return std::nullopt;
  }
  const auto* lookup = llvm::dyn_cast<clang::UnresolvedLookupExpr>(call->getCallee()->IgnoreParens());
  if (!lookup) return std::nullopt;
  for (const auto* candidate : lookup->decls()) {
    if (is_patch_function(candidate)) return qualified_name_of(candidate->getUnderlyingDecl());
  }
  return std::nullopt;
}

// The string literal the change ID is written as, looking through the conversion to
// std::string_view (implicit or spelled out) and the standard `"..."sv` literal. Null for anything
// else: a variable, even a constexpr one, keeps the ID away from the call, where neither the
// reader nor the duplicate check sees it.
const clang::StringLiteral* literal_of(const clang::Expr* argument) {
  const auto* expression = argument->IgnoreImplicit()->IgnoreParenImpCasts();
  if (const auto* literal = llvm::dyn_cast<clang::StringLiteral>(expression)) return literal;
  if (const auto* cast = llvm::dyn_cast<clang::ExplicitCastExpr>(expression)) return literal_of(cast->getSubExpr());
  // The one-argument constructors only: string_view("abc", 2) is another ID than its literal.
  if (const auto* construct = llvm::dyn_cast<clang::CXXConstructExpr>(expression);
      construct && construct->getNumArgs() == 1)
    return literal_of(construct->getArg(0));
  if (const auto* user_literal = llvm::dyn_cast<clang::UserDefinedLiteral>(expression);
      user_literal && user_literal->getLiteralOperatorKind() == clang::UserDefinedLiteral::LOK_String &&
      user_literal->getDirectCallee() && user_literal->getDirectCallee()->isInStdNamespace())
    return literal_of(user_literal->getCookedLiteral());
  return nullptr;
}

struct PatchCall {
  const clang::CallExpr* call;
  std::string function;  // "workflow::patched"
};

class PatchCallFinder : public clang::RecursiveASTVisitor<PatchCallFinder> {
 public:
  bool VisitCallExpr(clang::CallExpr* call) {
    if (auto function = patch_function_called(call)) calls_.push_back({call, std::move(*function)});
    return true;
  }

  /// In source order. A generic lambda's pattern is traversed, not its instantiations, so a call
  /// written once is found once.
  const std::vector<PatchCall>& calls() const { return calls_; }

 private:
  std::vector<PatchCall> calls_;
};

class PatchChecker {
 public:
  PatchChecker(const TaggedFunction& function, clang::ASTContext& context) : function_(function), context_(context) {}

  void check(const PatchCall& patch) {
    if (function_.kind == EntityKind::step) {
      report_call_in_step(patch);
      return;
    }
    if (patch.call->getNumArgs() != 1) return;  // clang has reported the call already
    const auto* argument = patch.call->getArg(0);
    const auto* literal = literal_of(argument);
    if (!literal) {
      report_error(context_, location_of(argument), "patch-id-not-literal",
                   "the change ID of " + patch.function + " in workflow '" + function_.qualified_name +
                       "' is not a string literal",
                   "write the ID itself, as in " + patch.function +
                       "(\"fraud-check\"): it is recorded in the journal and must not depend on data (a macro "
                       "that expands to a string literal is fine; a variable, even a constexpr one, is not)");
      return;
    }
    std::string id = literal->getString().str();
    auto [first, inserted] = first_uses_.emplace(id, FirstUse{argument, patch.function});
    if (!inserted) report_duplicate(id, argument, patch.function, first->second);
  }

 private:
  struct FirstUse {
    const clang::Expr* argument;
    std::string function;
  };

  clang::SourceLocation location_of(const clang::Expr* expression) const {
    return context_.getSourceManager().getExpansionLoc(expression->getBeginLoc());
  }

  void report_call_in_step(const PatchCall& patch) {
    report_error(context_, location_of(patch.call), "patch-in-step",
                 patch.function + " in step '" + function_.qualified_name +
                     "' means nothing: a step is not replayed (a replay takes its result from the journal), "
                     "so no recorded run would take the old path in it",
                 "branch in the workflow that calls the step: if (workflow::patched(\"<change ID>\")) call a "
                 "new step, else the old one");
  }

  void report_duplicate(const std::string& id, const clang::Expr* argument, const std::string& function,
                        const FirstUse& first) {
    bool both_patched = function == "workflow::patched" && first.function == "workflow::patched";
    report_error(context_, location_of(argument), "duplicate-patch-id",
                 "change ID '" + id + "' is used again in workflow '" + function_.qualified_name + "' (by " +
                     function + "); a change ID may appear once in a workflow body",
                 both_patched
                     ? "give each change its own ID; to branch on one change in several places, keep the "
                       "result of the first workflow::patched call in a variable"
                     : "keep one call for the change: workflow::deprecate_patch takes the place of its "
                       "workflow::patched call, and of the old code path with it");
    report_note(context_, location_of(first.argument), "'" + id + "' is first used here (by " + first.function + ")");
  }

  const TaggedFunction& function_;
  clang::ASTContext& context_;
  std::map<std::string, FirstUse> first_uses_;  // by change ID
};

}  // namespace

void check_patch_calls(const TaggedFunction& function, clang::ASTContext& context) {
  if (!function.definition || context.getSourceManager().isInSystemHeader(function.definition->getLocation()))
    return;
  PatchCallFinder finder;
  finder.TraverseStmt(function.definition->getBody());
  PatchChecker checker(function, context);
  for (const auto& patch : finder.calls()) checker.check(patch);
}

}  // namespace workflow::compiler
