// The workflow-body pass: see workflow_body.hpp.
#include "workflow_body.hpp"

#include "diagnostics.hpp"
#include "nondeterminism.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>

#include <set>

namespace workflow::compiler {
namespace {

bool contains_rethrow(const clang::Stmt* statement) {
  if (!statement) return false;
  if (const auto* thrown = llvm::dyn_cast<clang::CXXThrowExpr>(statement); thrown && !thrown->getSubExpr())
    return true;
  // A rethrow inside a nested lambda does not rethrow from this handler.
  if (llvm::isa<clang::LambdaExpr>(statement)) return false;
  for (const auto* child : statement->children()) {
    if (contains_rethrow(child)) return true;
  }
  return false;
}

class BodyScanner : public clang::RecursiveASTVisitor<BodyScanner> {
 public:
  BodyScanner(const TaggedFunction& workflow, const Discovery& discovery, clang::ASTContext& context)
      : workflow_(workflow), discovery_(discovery), context_(context) {}

  bool VisitCallExpr(clang::CallExpr* call) {
    const auto* callee = call->getDirectCallee();
    if (const auto* tagged = discovery_.find(callee)) {
      if (const auto* reference = llvm::dyn_cast<clang::DeclRefExpr>(call->getCallee()->IgnoreParenImpCasts()))
        direct_callees_.insert(reference);
      std::string what = std::string(tagged->kind == EntityKind::step ? "step" : "workflow") + " '" +
                         tagged->qualified_name + "'";
      if (call->getBeginLoc().isMacroID() || call->getRParenLoc().isMacroID()) {
        report_error(context_, context_.getSourceManager().getExpansionLoc(call->getBeginLoc()),
                     "step-call-in-macro",
                     "call to " + what + " inside a macro in workflow '" + workflow_.qualified_name +
                         "' cannot be journaled",
                     "call it directly in the workflow body and pass its result to the macro");
        return true;
      }
      calls_.push_back({call, tagged});
      return true;
    }
    check_nondeterminism(call->getBeginLoc(), nondeterministic_call(callee));
    return true;
  }

  bool VisitCXXConstructExpr(clang::CXXConstructExpr* construct) {
    check_nondeterminism(construct->getBeginLoc(),
                         nondeterministic_construction(construct->getConstructor()->getParent()));
    return true;
  }

  bool VisitDeclRefExpr(clang::DeclRefExpr* reference) {
    const auto* step = discovery_.find(llvm::dyn_cast<clang::FunctionDecl>(reference->getDecl()));
    if (!step || step->kind != EntityKind::step || direct_callees_.count(reference)) return true;
    report_error(context_, reference->getLocation(), "step-call-through-pointer",
                 "step '" + step->qualified_name + "' is used as a value in workflow '" +
                     workflow_.qualified_name +
                     "'; a call through a function pointer or std::function is not journaled",
                 "call the step directly by name: " + step->qualified_name + "(...)");
    return true;
  }

  bool VisitCXXCatchStmt(clang::CXXCatchStmt* handler) {
    if (handler->getExceptionDecl() || contains_rethrow(handler->getHandlerBlock())) return true;
    report_error(context_, handler->getCatchLoc(), "catch-all-without-rethrow",
                 "'catch (...)' in workflow '" + workflow_.qualified_name +
                     "' does not rethrow; it would swallow the run's suspension (sleeps, retries, "
                     "cancellation) and a step's failure",
                 "catch the exception types you expect (workflow::StepFailedError, std::exception), "
                 "or end the handler with 'throw;'");
    return true;
  }

  std::vector<JournaledCall> take_calls() { return std::move(calls_); }

 private:
  void check_nondeterminism(clang::SourceLocation where, const std::optional<NondeterministicUse>& use) {
    if (!use) return;
    where = context_.getSourceManager().getExpansionLoc(where);
    if (line_has_comment(context_, where, kAllowNondeterminism)) return;
    report_error(context_, where, "nondeterministic-call",
                 use->what + " in workflow '" + workflow_.qualified_name +
                     "' is not deterministic: a workflow body runs again on every replay",
                 use->alternative + "; or, if this is intended, add the comment '// " +
                     kAllowNondeterminism + "'");
  }

  const TaggedFunction& workflow_;
  const Discovery& discovery_;
  clang::ASTContext& context_;
  std::set<const clang::DeclRefExpr*> direct_callees_;
  std::vector<JournaledCall> calls_;
};

}  // namespace

std::vector<JournaledCall> scan_workflow_body(const TaggedFunction& workflow, const Discovery& discovery,
                                         clang::ASTContext& context) {
  BodyScanner scanner(workflow, discovery, context);
  scanner.TraverseStmt(workflow.definition->getBody());
  return scanner.take_calls();
}

}  // namespace workflow::compiler
