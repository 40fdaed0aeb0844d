// The functions a workflow body calls, followed transitively ("helpers"). A helper runs again on
// every replay just as the body does, so the determinism rules hold in it too; and a step or
// workflow it calls is not journaled, because only calls written in a workflow body are rewritten.
//
// Glossary:
// - helper: a function reached from a workflow body by a call or a reference, with its definition
//   in this translation unit (the main file or a non-system header), that is not a step, not a
//   workflow, and not part of the standard library, nlohmann/json or the workflow runtime. Lambdas,
//   member functions, constructors and function template instantiations count; a function
//   template's pattern does not (its instantiations are reached instead).
// - use: one call of, or reference to, a function at a location; the edges of the walk.
// - facts: what one helper's body does that matters here: non-deterministic calls, step and
//   workflow calls, and the functions it uses. Collected once per helper per translation unit.
#pragma once

#include "discovery.hpp"
#include "nondeterminism.hpp"

#include <clang/AST/ExprCXX.h>

#include <memory>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

namespace workflow::compiler {

/// A call of, or a reference to, `function` at `where`.
struct FunctionUse {
  const clang::FunctionDecl* function;
  clang::SourceLocation where;
  bool called;  // false: used as a value (a function pointer, a lambda created and passed on)
};

/// One problem found in a body: a call to a step or workflow (`call` set), or a non-deterministic
/// call not suppressed by the comment on its line.
struct BodyProblem {
  const clang::CallExpr* call = nullptr;
  clang::SourceLocation where;
  NondeterministicUse use;
};

struct CallFacts {
  std::vector<BodyProblem> problems;  // in source order
  std::vector<FunctionUse> uses;      // the helpers used (already filtered by helper_definition)
  /// Every call with a resolved callee; only for generic lambdas' instantiations.
  std::vector<const clang::CallExpr*> resolved_calls;
};

/// The expression naming the callee of `call` (parentheses, `&` and `*` removed): a DeclRefExpr
/// or a MemberExpr when the call is direct, else null.
const clang::Expr* callee_reference(const clang::CallExpr* call);

/// Where a use by `call` of the function `reference` (its callee_reference) is shown: the
/// function's name, or for a call of a function object (`pick(6)`), the object's start.
clang::SourceLocation call_site(const clang::CallExpr* call, const clang::Expr* reference);

/// Whether `decl` is written inside `scope` (a lambda's call operator inside a function is).
bool lexically_within(const clang::Decl* decl, const clang::FunctionDecl* scope);

/// The helpers of one translation unit and the facts of each; each helper's body is traversed at
/// most once however many workflows reach it, and each problem in a helper is reported once.
class HelperGraph {
 public:
  explicit HelperGraph(clang::ASTContext& context);

  /// The discovery the next checks use (the graph outlives one scan; discovery does not).
  void use_discovery(const Discovery& discovery) { discovery_ = &discovery; }
  const Discovery& discovery() const { return *discovery_; }

  /// The definition to walk into when `function` is used in a workflow, or null when it is not a
  /// helper (see the glossary).
  const clang::FunctionDecl* helper_definition(const clang::FunctionDecl* function);

  /// The facts of the instantiations of a generic lambda written in workflow body `workflow`, with
  /// every resolved call. Not cached: each lambda is asked once.
  CallFacts instantiation_facts(const clang::LambdaExpr* lambda, const clang::FunctionDecl* workflow);

  /// Walks from `uses` (made in the body of `workflow`) through the helpers and reports, in each,
  /// non-deterministic calls (nondeterministic-call) and step and workflow calls
  /// (step-call-outside-workflow-body), with notes along the path back to the workflow.
  void check_helpers(const TaggedFunction& workflow, const std::vector<FunctionUse>& uses);

  /// False when a problem named `name` at `where` was reported already; records it.
  bool first_report(clang::SourceLocation where, const std::string& name);

 private:
  struct Link {
    const FunctionUse* use;
    const clang::FunctionDecl* helper;
  };
  const CallFacts& facts_of(const clang::FunctionDecl* definition);
  void walk(const TaggedFunction& workflow, const FunctionUse& use, bool allowed, std::vector<Link>& path);
  void report_problem(const TaggedFunction& workflow, const BodyProblem& problem, const std::vector<Link>& path);

  clang::ASTContext& context_;
  const Discovery* discovery_ = nullptr;
  std::unordered_map<const clang::FunctionDecl*, const clang::FunctionDecl*> helpers_;  // by canonical decl
  std::unordered_map<const clang::FunctionDecl*, CallFacts> facts_;                      // by definition
  std::set<std::pair<const clang::FunctionDecl*, bool>> walked_;  // helper, allowed
  std::set<std::pair<unsigned, std::string>> reported_;
};

/// The graph of `context`'s translation unit, made on first use and destroyed with the context.
HelperGraph& helper_graph_of(clang::ASTContext& context, const Discovery& discovery);

}  // namespace workflow::compiler
