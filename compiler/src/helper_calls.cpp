// The walk through a workflow's helpers: see helper_calls.hpp.
#include "helper_calls.hpp"

#include "diagnostics.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/SourceManager.h>
#include <llvm/Support/Path.h>

#include <map>

namespace workflow::compiler {
namespace {

// Collects the facts of one body. Lambdas written in it are part of it: a plain lambda's body is
// traversed in place, a generic lambda's instantiations are (its pattern is not code that runs).
class FactCollector : public clang::RecursiveASTVisitor<FactCollector> {
  using Base = clang::RecursiveASTVisitor<FactCollector>;

 public:
  FactCollector(HelperGraph& graph, clang::ASTContext& context, const clang::FunctionDecl* scope, bool record_calls)
      : graph_(graph), context_(context), scope_(scope), record_calls_(record_calls) {}

  bool VisitCallExpr(clang::CallExpr* call) {
    const auto* callee = call->getDirectCallee();
    if (!callee) return true;
    if (const auto* reference = callee_reference(call)) direct_[reference] = call_site(call, reference);
    if (record_calls_) facts_.resolved_calls.push_back(call);
    if (graph_.discovery().find(callee)) {
      facts_.problems.push_back({call, context_.getSourceManager().getExpansionLoc(call->getBeginLoc()), {}});
      return true;
    }
    note(call->getBeginLoc(), nondeterministic_call(callee));
    return true;
  }

  bool VisitCXXConstructExpr(clang::CXXConstructExpr* construct) {
    note(construct->getBeginLoc(), nondeterministic_construction(construct->getConstructor()));
    use(construct->getConstructor(), construct->getLocation(), true);
    return true;
  }

  bool VisitDeclRefExpr(clang::DeclRefExpr* reference) {
    if (const auto* function = llvm::dyn_cast<clang::FunctionDecl>(reference->getDecl()))
      use(function, reference, reference->getLocation());
    return true;
  }

  bool VisitMemberExpr(clang::MemberExpr* member) {
    if (const auto* function = llvm::dyn_cast<clang::FunctionDecl>(member->getMemberDecl()))
      use(function, member, member->getMemberLoc());
    return true;
  }

  // A default member initializer runs in the constructor that does not initialize the member.
  bool VisitCXXDefaultInitExpr(clang::CXXDefaultInitExpr* initializer) {
    return TraverseStmt(initializer->getExpr());
  }

  bool TraverseLambdaExpr(clang::LambdaExpr* lambda) {
    if (!lambda->isGenericLambda()) return Base::TraverseLambdaExpr(lambda);
    for (auto* init : lambda->capture_inits()) {
      if (init && !TraverseStmt(init)) return false;
    }
    traverse_instantiations(lambda);
    return true;
  }

  void traverse_instantiations(const clang::LambdaExpr* lambda) {
    const auto* pattern = lambda->getCallOperator()->getDescribedFunctionTemplate();
    if (!pattern) return;
    for (auto* instance : pattern->specializations()) TraverseStmt(instance->getBody());
  }

  CallFacts take() { return std::move(facts_); }

 private:
  void note(clang::SourceLocation where, std::optional<NondeterministicUse> use) {
    if (!use) return;
    where = context_.getSourceManager().getExpansionLoc(where);
    if (line_has_comment(context_, where, kAllowNondeterminism)) return;
    facts_.problems.push_back({nullptr, where, std::move(*use)});
  }

  // A function named by `reference`: called when it is a call's callee, else used as a value.
  void use(const clang::FunctionDecl* function, const clang::Expr* reference, clang::SourceLocation where) {
    auto direct = direct_.find(reference);
    if (direct != direct_.end()) where = direct->second;
    use(function, where, direct != direct_.end());
  }

  void use(const clang::FunctionDecl* function, clang::SourceLocation where, bool called) {
    // What is written inside this body (its lambdas) is traversed with it.
    if (!function || lexically_within(function, scope_) || !graph_.helper_definition(function)) return;
    facts_.uses.push_back({function, where, called});
  }

  HelperGraph& graph_;
  clang::ASTContext& context_;
  const clang::FunctionDecl* scope_;
  bool record_calls_;
  std::map<const clang::Expr*, clang::SourceLocation> direct_;  // callees of calls, and where shown
  CallFacts facts_;
};

// How diagnostics name a helper: `'ns::f'`, `the lambda in 'ns::f'`, `the lambda at file.h:12`.
std::string describe(const clang::FunctionDecl* function) {
  const auto* method = llvm::dyn_cast<clang::CXXMethodDecl>(function);
  if (!method || !method->getParent()->isLambda()) return "'" + qualified_name_of(function) + "'";
  if (const auto* enclosing = llvm::dyn_cast<clang::FunctionDecl>(method->getParent()->getDeclContext()))
    return "the lambda in " + describe(enclosing);
  const auto& sources = function->getASTContext().getSourceManager();
  auto where = sources.getPresumedLoc(sources.getExpansionLoc(method->getParent()->getLocation()));
  if (where.isInvalid()) return "a lambda";
  return "the lambda at " + llvm::sys::path::filename(where.getFilename()).str() + ":" + std::to_string(where.getLine());
}

}  // namespace

const clang::Expr* callee_reference(const clang::CallExpr* call) {
  const clang::Expr* callee = call->getCallee()->IgnoreParenImpCasts();
  // `(&f)(x)` and `(*f)(x)` call `f` as directly as `f(x)` does.
  while (const auto* unary = llvm::dyn_cast<clang::UnaryOperator>(callee)) {
    if (unary->getOpcode() != clang::UO_AddrOf && unary->getOpcode() != clang::UO_Deref) break;
    callee = unary->getSubExpr()->IgnoreParenImpCasts();
  }
  if (llvm::isa<clang::DeclRefExpr>(callee) || llvm::isa<clang::MemberExpr>(callee)) return callee;
  return nullptr;
}

clang::SourceLocation call_site(const clang::CallExpr* call, const clang::Expr* reference) {
  if (const auto* operator_call = llvm::dyn_cast<clang::CXXOperatorCallExpr>(call);
      operator_call && operator_call->getOperator() == clang::OO_Call)
    return call->getBeginLoc();
  if (const auto* member = llvm::dyn_cast<clang::MemberExpr>(reference)) return member->getMemberLoc();
  return reference->getExprLoc();
}

bool lexically_within(const clang::Decl* decl, const clang::FunctionDecl* scope) {
  for (const auto* context = decl->getDeclContext(); context; context = context->getParent()) {
    if (context == scope) return true;
  }
  return false;
}

HelperGraph::HelperGraph(clang::ASTContext& context) : context_(context) {}

const clang::FunctionDecl* HelperGraph::helper_definition(const clang::FunctionDecl* function) {
  const auto* canonical = function->getCanonicalDecl();
  auto [entry, inserted] = helpers_.try_emplace(canonical, nullptr);
  if (!inserted) return entry->second;
  const clang::FunctionDecl* definition = nullptr;
  // Steps may do anything and workflows are child runs; a template's pattern is not what runs.
  if (discovery_->find(canonical) || canonical->isTemplated() || !canonical->hasBody(definition) ||
      !definition->getBody())
    return nullptr;
  const auto& sources = context_.getSourceManager();
  auto where = sources.getExpansionLoc(definition->getLocation());
  if (sources.isInSystemHeader(where)) return nullptr;
  // Libraries wfc knows to be deterministic where it matters, wherever their headers are found;
  // their non-deterministic entry points are in the table of nondeterminism.cpp.
  auto library = outermost_namespace(definition);
  if (library == "std" || library == "__gnu_cxx" || library == "nlohmann") return nullptr;
  if (library == "workflow" && !sources.isInMainFile(where)) return nullptr;
  entry->second = definition;
  return definition;
}

const CallFacts& HelperGraph::facts_of(const clang::FunctionDecl* definition) {
  if (auto found = facts_.find(definition); found != facts_.end()) return found->second;
  FactCollector collector(*this, context_, definition, false);
  if (const auto* constructor = llvm::dyn_cast<clang::CXXConstructorDecl>(definition)) {
    for (const auto* initializer : constructor->inits()) collector.TraverseStmt(initializer->getInit());
  }
  collector.TraverseStmt(definition->getBody());
  // unordered_map keeps references to its elements valid while the walk adds more.
  return facts_.emplace(definition, collector.take()).first->second;
}

CallFacts HelperGraph::instantiation_facts(const clang::LambdaExpr* lambda, const clang::FunctionDecl* workflow) {
  FactCollector collector(*this, context_, workflow, true);
  collector.traverse_instantiations(lambda);
  return collector.take();
}

void HelperGraph::check_helpers(const TaggedFunction& workflow, const std::vector<FunctionUse>& uses) {
  std::vector<Link> path;
  for (const auto& use : uses) walk(workflow, use, false, path);
}

// `allowed`: a use on the path carries the suppression comment, so non-deterministic calls below
// it are not reported (step and workflow calls still are). Each problem is reported once per
// translation unit, so a helper walked once strictly has nothing more to tell any workflow: each
// helper is entered at most twice per translation unit, once either way.
void HelperGraph::walk(const TaggedFunction& workflow, const FunctionUse& use, bool allowed, std::vector<Link>& path) {
  const auto* helper = helper_definition(use.function);
  if (!helper || walked_.count({helper, false})) return;
  allowed = allowed || line_has_comment(context_, use.where, kAllowNondeterminism);
  if (!walked_.insert({helper, allowed}).second) return;
  path.push_back({&use, helper});
  const auto& facts = facts_of(helper);
  for (const auto& problem : facts.problems) {
    if (problem.call || !allowed) report_problem(workflow, problem, path);
  }
  for (const auto& next : facts.uses) walk(workflow, next, allowed, path);
  path.pop_back();
}

void HelperGraph::report_problem(const TaggedFunction& workflow, const BodyProblem& problem,
                                 const std::vector<Link>& path) {
  std::string helper = describe(path.back().helper);
  std::string from = ", called from workflow '" + workflow.qualified_name + "', ";
  if (problem.call) {
    if (!first_report(problem.where, "step-call-outside-workflow-body")) return;
    const auto* callee = discovery_->find(problem.call->getDirectCallee());
    bool step = callee->kind == EntityKind::step;
    std::string what = std::string(step ? "step" : "workflow") + " '" + callee->qualified_name + "'";
    report_error(context_, problem.where, "step-call-outside-workflow-body",
                 "call to " + what + " in " + helper + from +
                     "is not journaled: only the calls written in a workflow body are, so it would " +
                     (step ? "run again" : "start a new run") + " on every replay",
                 std::string("call the ") + (step ? "step" : "workflow") + " from the workflow body, or make " +
                     helper + " a [[workflow::step]] itself or a child [[workflow::workflow]]");
  } else {
    if (!first_report(problem.where, "nondeterministic-call")) return;
    report_error(context_, problem.where, "nondeterministic-call",
                 problem.use.what + " in " + helper + from +
                     "is not deterministic: a workflow body and the functions it calls run again on every replay",
                 problem.use.alternative + "; or, if this is intended, add the comment '// " +
                     kAllowNondeterminism + "' here or at the call in the workflow");
  }
  // The way back to the workflow body, innermost call first.
  const auto& sources = context_.getSourceManager();
  for (std::size_t i = path.size(); i-- > 0;) {
    std::string caller = i == 0 ? "workflow '" + workflow.qualified_name + "'" : describe(path[i - 1].helper);
    report_note(context_, sources.getExpansionLoc(path[i].use->where),
                describe(path[i].helper) + (path[i].use->called ? " called from " : " used in ") + caller +
                    " here");
  }
}

bool HelperGraph::first_report(clang::SourceLocation where, const std::string& name) {
  where = context_.getSourceManager().getExpansionLoc(where);
  return reported_.emplace(where.getRawEncoding(), name).second;
}

HelperGraph& helper_graph_of(clang::ASTContext& context, const Discovery& discovery) {
  // wfc parses one translation unit at a time; the entry goes when its ASTContext does, so a
  // later context at the same address never sees a stale graph.
  static std::unordered_map<const clang::ASTContext*, std::unique_ptr<HelperGraph>> graphs;
  auto& graph = graphs[&context];
  if (!graph) {
    graph = std::make_unique<HelperGraph>(context);
    context.AddDeallocation([](void* key) { graphs.erase(static_cast<const clang::ASTContext*>(key)); }, &context);
  }
  graph->use_discovery(discovery);
  return *graph;
}

}  // namespace workflow::compiler
