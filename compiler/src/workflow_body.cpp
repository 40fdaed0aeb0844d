// The workflow-body pass: see workflow_body.hpp.
#include "workflow_body.hpp"

#include "diagnostics.hpp"
#include "helper_calls.hpp"
#include "nondeterminism.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>

#include <algorithm>
#include <map>
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

// Where a call is written: pattern and instantiations of a generic lambda agree on it.
using CallKey = std::pair<unsigned, unsigned>;
CallKey key_of(const clang::CallExpr* call) {
  return {call->getBeginLoc().getRawEncoding(), call->getRParenLoc().getRawEncoding()};
}

// A call in a generic lambda whose callee is looked up only at instantiation (`step(x)` with `x`
// of type `auto`), when the lookup found a step.
struct DependentStepCall {
  const clang::CallExpr* call;
  std::vector<const TaggedFunction*> tagged;  // the distinct tagged candidates, one or more
};

class BodyScanner : public clang::RecursiveASTVisitor<BodyScanner> {
 public:
  BodyScanner(const TaggedFunction& workflow, const Discovery& discovery, HelperGraph& helpers,
              clang::ASTContext& context)
      : workflow_(workflow), discovery_(discovery), helpers_(helpers), context_(context) {}

  // Unevaluated operands run nothing: a step named in sizeof, decltype, noexcept or a requires
  // expression is not called, and its call stays as written (noexcept(f(1)) keeps its answer).
  bool TraverseUnaryExprOrTypeTraitExpr(clang::UnaryExprOrTypeTraitExpr*, DataRecursionQueue* = nullptr) {
    return true;
  }
  bool TraverseCXXNoexceptExpr(clang::CXXNoexceptExpr*, DataRecursionQueue* = nullptr) { return true; }
  bool TraverseRequiresExpr(clang::RequiresExpr*, DataRecursionQueue* = nullptr) { return true; }
  bool TraverseDecltypeTypeLoc(clang::DecltypeTypeLoc) { return true; }

  // A default argument is evaluated at the call, in the body, every replay: its calls count as the
  // body's (they are reported at the call, since that is where they run).
  bool VisitCXXDefaultArgExpr(clang::CXXDefaultArgExpr* fallback) {
    check_default_argument(fallback->getExpr(), fallback->getUsedLocation(), fallback->getParam());
    return true;
  }

  bool VisitCallExpr(clang::CallExpr* call) {
    const auto* callee = call->getDirectCallee();
    if (const auto* reference = callee_reference(call)) direct_callees_[reference] = call_site(call, reference);
    if (const auto* tagged = discovery_.find(callee)) {
      journal(call, tagged);
      return true;
    }
    if (!callee) {
      note_dependent_step_call(call);
      return true;
    }
    check_nondeterminism(call->getBeginLoc(), nondeterministic_call(callee));
    return true;
  }

  bool VisitCXXConstructExpr(clang::CXXConstructExpr* construct) {
    check_nondeterminism(construct->getBeginLoc(), nondeterministic_construction(construct->getConstructor()));
    use(construct->getConstructor(), construct->getLocation(), true);
    return true;
  }

  bool VisitDeclRefExpr(clang::DeclRefExpr* reference) {
    const auto* function = llvm::dyn_cast<clang::FunctionDecl>(reference->getDecl());
    auto direct = direct_callees_.find(reference);
    bool called = direct != direct_callees_.end();
    if (!check_step_used_as_value(function, reference->getLocation(), called))
      use(function, called ? direct->second : reference->getLocation(), called);
    return true;
  }

  // A static member step named through an object (`m.s`, `p->s`).
  bool VisitMemberExpr(clang::MemberExpr* member) {
    const auto* function = llvm::dyn_cast<clang::FunctionDecl>(member->getMemberDecl());
    auto direct = direct_callees_.find(member);
    bool called = direct != direct_callees_.end();
    if (!check_step_used_as_value(function, member->getMemberLoc(), called))
      use(function, called ? direct->second : member->getMemberLoc(), called);
    return true;
  }

  bool VisitLambdaExpr(clang::LambdaExpr* lambda) {
    // Only the pattern is traversed (and rewritten); its instantiations are checked apart. A generic
    // lambda nested in another one's pattern has no instantiations of its own: those live in the
    // outer lambda's instantiations, which the collector traverses.
    if (!lambda->isGenericLambda()) return true;
    auto facts = helpers_.instantiation_facts(lambda, workflow_.definition);
    for (auto& problem : facts.problems) instantiated_.problems.push_back(std::move(problem));
    for (const auto& use : facts.uses) instantiated_.uses.push_back(use);
    for (const auto* call : facts.resolved_calls) instantiated_.resolved_calls.push_back(call);
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

  // After the traversal: the calls only generic lambdas' instantiations resolve, then the helpers.
  std::vector<JournaledCall> finish() {
    std::map<CallKey, std::vector<const clang::FunctionDecl*>> instantiated_callees;
    for (const auto* call : instantiated_.resolved_calls)
      instantiated_callees[key_of(call)].push_back(call->getDirectCallee()->getCanonicalDecl());
    for (const auto& dependent : dependent_calls_) resolve(dependent, instantiated_callees);
    std::set<CallKey> journaled;
    for (const auto& call : calls_) journaled.insert(key_of(call.call));
    for (const auto& problem : instantiated_.problems) {
      if (!problem.call) {
        check_nondeterminism(problem.where, problem.use);
      } else if (!journaled.count(key_of(problem.call)) && !ambiguous_.count(key_of(problem.call))) {
        report_unjournaled_instantiated_call(problem.call);
      }
    }
    helpers_.check_helpers(workflow_, uses_);
    helpers_.check_helpers(workflow_, instantiated_.uses);
    const auto& sources = context_.getSourceManager();
    std::stable_sort(calls_.begin(), calls_.end(), [&](const JournaledCall& a, const JournaledCall& b) {
      return sources.isBeforeInTranslationUnit(a.call->getBeginLoc(), b.call->getBeginLoc());
    });
    return std::move(calls_);
  }

 private:
  std::string describe(const TaggedFunction& function) const {
    return std::string(function.kind == EntityKind::step ? "step" : "workflow") + " '" + function.qualified_name + "'";
  }

  void journal(const clang::CallExpr* call, const TaggedFunction* tagged) {
    if (call->getBeginLoc().isMacroID() || call->getRParenLoc().isMacroID()) {
      report_error(context_, context_.getSourceManager().getExpansionLoc(call->getBeginLoc()), "step-call-in-macro",
                   "call to " + describe(*tagged) + " inside a macro in workflow '" + workflow_.qualified_name +
                       "' cannot be journaled",
                   "call it directly in the workflow body and pass its result to the macro");
      return;
    }
    calls_.push_back({call, tagged});
  }

  // True when `function` is a step, reported if it is used as a value rather than called.
  bool check_step_used_as_value(const clang::FunctionDecl* function, clang::SourceLocation where, bool called) {
    const auto* step = discovery_.find(function);
    if (!step) return false;
    if (step->kind != EntityKind::step || called) return true;
    report_error(context_, where, "step-call-through-pointer",
                 "step '" + step->qualified_name + "' is used as a value in workflow '" +
                     workflow_.qualified_name +
                     "'; a call through a function pointer or std::function is not journaled",
                 "call the step directly by name: " + step->qualified_name + "(...)");
    return true;
  }

  void use(const clang::FunctionDecl* function, clang::SourceLocation where, bool called) {
    // Lambdas written in the body are part of the body.
    if (!function || lexically_within(function, workflow_.definition) || !helpers_.helper_definition(function))
      return;
    uses_.push_back({function, where, called});
  }

  void note_dependent_step_call(const clang::CallExpr* call) {
    const auto* lookup = llvm::dyn_cast<clang::UnresolvedLookupExpr>(call->getCallee()->IgnoreParens());
    if (!lookup) return;
    DependentStepCall dependent{call, {}};
    for (const auto* candidate : lookup->decls()) {
      const auto* tagged = discovery_.find(llvm::dyn_cast<clang::FunctionDecl>(candidate->getUnderlyingDecl()));
      if (tagged && std::find(dependent.tagged.begin(), dependent.tagged.end(), tagged) == dependent.tagged.end())
        dependent.tagged.push_back(tagged);
    }
    if (!dependent.tagged.empty()) dependent_calls_.push_back(std::move(dependent));
  }

  // A dependent call is journaled when it names one step (or workflow) and every instantiation of
  // the lambda calls exactly that function: then the pattern can be rewritten once for all.
  void resolve(const DependentStepCall& dependent,
               const std::map<CallKey, std::vector<const clang::FunctionDecl*>>& instantiated_callees) {
    const auto* call = dependent.call;
    const auto* tagged = dependent.tagged.front();
    const clang::FunctionDecl* other = nullptr;
    if (dependent.tagged.size() > 1) other = dependent.tagged[1]->canonical;
    if (auto found = instantiated_callees.find(key_of(call)); found != instantiated_callees.end()) {
      for (const auto* callee : found->second) {
        if (callee != tagged->canonical) other = callee;
      }
    }
    if (!other) {
      journal(call, tagged);
      return;
    }
    ambiguous_.insert(key_of(call));
    const auto* other_tagged = discovery_.find(other);
    std::string first = describe(*tagged);
    std::string second = other_tagged ? describe(*other_tagged) : "'" + qualified_name_of(other) + "'";
    if (first == second || (!other_tagged && qualified_name_of(other) == tagged->qualified_name)) {
      // Overloads: tell them apart by their types.
      first += " (" + tagged->canonical->getType().getAsString(context_.getPrintingPolicy()) + ")";
      second += " (" + other->getType().getAsString(context_.getPrintingPolicy()) + ")";
    }
    report_error(context_, context_.getSourceManager().getExpansionLoc(call->getBeginLoc()),
                 "ambiguous-step-call-in-template",
                 "call in a generic lambda in workflow '" + workflow_.qualified_name + "' may call " + first +
                     " or " + second +
                     ", depending on the argument types; it is journaled only when every instantiation calls "
                     "the same step",
                 "convert the arguments to the step's parameter types (static_cast), qualify the name (::" +
                     tagged->qualified_name +
                     "(...)) so argument-dependent lookup finds no other function, or call it from a "
                     "non-generic lambda");
  }

  void report_unjournaled_instantiated_call(const clang::CallExpr* call) {
    if (!helpers_.first_report(call->getBeginLoc(), "ambiguous-step-call-in-template")) return;
    const auto* tagged = discovery_.find(call->getDirectCallee());
    report_error(context_, context_.getSourceManager().getExpansionLoc(call->getBeginLoc()),
                 "ambiguous-step-call-in-template",
                 "call to " + describe(*tagged) + " in a generic lambda in workflow '" + workflow_.qualified_name +
                     "' is resolved only when the lambda is instantiated and cannot be journaled",
                 "call it by its qualified name (::" + tagged->qualified_name + "(...)) or from a non-generic lambda");
  }

  void check_default_argument(const clang::Stmt* statement, clang::SourceLocation where,
                              const clang::ParmVarDecl* parameter) {
    if (!statement) return;
    std::optional<NondeterministicUse> use;
    if (const auto* call = llvm::dyn_cast<clang::CallExpr>(statement)) use = nondeterministic_call(call->getDirectCallee());
    if (const auto* construct = llvm::dyn_cast<clang::CXXConstructExpr>(statement))
      use = nondeterministic_construction(construct->getConstructor());
    if (use) {
      use->what += " (in the default argument of parameter '" + parameter->getNameAsString() + "')";
      check_nondeterminism(where, use);
    }
    for (const auto* child : statement->children()) check_default_argument(child, where, parameter);
  }

  void check_nondeterminism(clang::SourceLocation where, const std::optional<NondeterministicUse>& use) {
    if (!use) return;
    where = context_.getSourceManager().getExpansionLoc(where);
    if (line_has_comment(context_, where, kAllowNondeterminism)) return;
    if (!helpers_.first_report(where, "nondeterministic-call")) return;
    report_error(context_, where, "nondeterministic-call",
                 use->what + " in workflow '" + workflow_.qualified_name +
                     "' is not deterministic: a workflow body runs again on every replay",
                 use->alternative + "; or, if this is intended, add the comment '// " +
                     kAllowNondeterminism + "'");
  }

  const TaggedFunction& workflow_;
  const Discovery& discovery_;
  HelperGraph& helpers_;
  clang::ASTContext& context_;
  std::map<const clang::Expr*, clang::SourceLocation> direct_callees_;  // and where each call is shown
  std::vector<JournaledCall> calls_;
  std::vector<FunctionUse> uses_;
  std::vector<DependentStepCall> dependent_calls_;
  std::set<CallKey> ambiguous_;
  CallFacts instantiated_;  // of the generic lambdas in the body
};

}  // namespace

std::vector<JournaledCall> scan_workflow_body(const TaggedFunction& workflow, const Discovery& discovery,
                                         clang::ASTContext& context) {
  BodyScanner scanner(workflow, discovery, helper_graph_of(context, discovery), context);
  scanner.TraverseStmt(workflow.definition->getBody());
  return scanner.finish();
}

}  // namespace workflow::compiler
