// One wfc job: see compile_job.hpp. The order matters: discovery, then every check (so one run
// reports every problem), then the rewrite only if nothing was reported.
#include "compile_job.hpp"

#include "aggregate_serializer.hpp"
#include "attribute_spelling.hpp"
#include "diagnostics.hpp"
#include "discovery.hpp"
#include "manifest.hpp"
#include "patch_check.hpp"
#include "signature_check.hpp"
#include "source_rewriter.hpp"
#include "workflow_body.hpp"

#include <clang/AST/ASTConsumer.h>
#include <clang/AST/ASTContext.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Sema/SemaConsumer.h>

namespace workflow::compiler {
namespace {

class WorkflowConsumer : public clang::SemaConsumer {
 public:
  void InitializeSema(clang::Sema& sema) override { sema_ = &sema; }
  void ForgetSema() override { sema_ = nullptr; }

  WorkflowConsumer(const CompileOptions& options, CompileResult& result, AttributeSpellingFilter& spelling)
      : options_(options), result_(result), spelling_(spelling) {}

  void HandleTranslationUnit(clang::ASTContext& context) override {
    // Sema errors do not stop the action; nothing is checked or rewritten from a broken
    // translation unit.
    bool broken = context.getDiagnostics().hasErrorOccurred();
    spelling_.report_misspellings(context);
    if (broken) {
      if (options_.may_augment) augment(context);
      return;
    }
    const auto& sources = context.getSourceManager();
    Discovery discovery(context, options_.root);
    discovery.run();

    AggregateSerializers aggregates(context);
    SerializableTypes types(*sema_, aggregates);
    std::vector<const TaggedFunction*> defined_here;
    std::vector<JournaledCall> calls;
    for (const auto& function : discovery.functions()) {
      check_signature(function, context, types);
      if (!function.definition) continue;
      check_patch_calls(function, context);
      auto where = sources.getExpansionLoc(function.definition->getLocation());
      if (!sources.isInMainFile(where)) {
        if (function.kind == EntityKind::workflow) {
          report_error(context, where, "workflow-outside-source",
                       "workflow '" + function.qualified_name + "' is defined in a header; wfc rewrites "
                       "only the source file it compiles, so its step calls would not be journaled",
                       "declare it in the header and define it in one .cpp file passed to "
                       "target_workflow_sources()");
        }
        continue;
      }
      defined_here.push_back(&function);
      if (function.kind == EntityKind::workflow) {
        auto found = scan_workflow_body(function, discovery, context);
        calls.insert(calls.end(), found.begin(), found.end());
      }
    }
    result_.manifest = manifest_of(discovery, context, options_.shown_path);
    result_.manifest["generated_serializers"] = aggregates.names();
    if (context.getDiagnostics().hasErrorOccurred()) return;

    SourceRewriter rewriter(context);
    for (const auto& call : calls) rewriter.rewrite_journaled_call(call);
    for (const auto* function : defined_here) {
      if (function->kind == EntityKind::workflow) rewriter.add_workflow_entry(*function);
      rewriter.add_registration(*function);
    }
    aggregates.emit(rewriter);
    if (context.getDiagnostics().hasErrorOccurred()) return;
    auto rewritten = rewriter.output(options_.shown_path);
    if (!rewritten) return;
    result_.rewritten = std::move(*rewritten);
    result_.produced = true;
  }

 private:
  // The file with the conversions of the aggregates its workflows' and steps' signatures need,
  // when there are any: the errors may come from the file serializing them itself.
  void augment(clang::ASTContext& context) {
    Discovery discovery(context, options_.root);
    discovery.run();
    AggregateSerializers aggregates(context);
    SerializableTypes types(*sema_, aggregates);
    for (const auto& function : discovery.functions()) {
      for (const auto* parameter : function.tagged->parameters()) {
        types.non_serializable_part(parameter->getType(), parameter->getLocation());
      }
      types.non_serializable_part(function.tagged->getReturnType(), function.tagged->getLocation());
    }
    if (aggregates.names().empty()) return;
    SourceRewriter rewriter(context);
    aggregates.emit(rewriter);
    if (auto augmented = rewriter.edited(options_.shown_path)) {
      result_.augmented_source = std::move(*augmented);
      result_.augmented_serializers = aggregates.names();
    }
  }

  const CompileOptions& options_;
  CompileResult& result_;
  AttributeSpellingFilter& spelling_;
  clang::Sema* sema_ = nullptr;
};

class WorkflowAction : public clang::ASTFrontendAction {
 public:
  WorkflowAction(const CompileOptions& options, CompileResult& result, AttributeSpellingFilter& spelling)
      : options_(options), result_(result), spelling_(spelling) {}

 protected:
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance& compiler, llvm::StringRef) override {
    if (options_.statistics_out) compiler.setVerboseOutputStream(*options_.statistics_out);
    return std::make_unique<WorkflowConsumer>(options_, result_, spelling_);
  }

 private:
  const CompileOptions& options_;
  CompileResult& result_;
  AttributeSpellingFilter& spelling_;
};

class WorkflowActionFactory : public clang::tooling::FrontendActionFactory {
 public:
  WorkflowActionFactory(const CompileOptions& options, CompileResult& result, AttributeSpellingFilter& spelling)
      : options_(options), result_(result), spelling_(spelling) {}
  std::unique_ptr<clang::FrontendAction> create() override {
    return std::make_unique<WorkflowAction>(options_, result_, spelling_);
  }

 private:
  CompileOptions options_;
  CompileResult& result_;
  AttributeSpellingFilter& spelling_;
};

}  // namespace

std::unique_ptr<clang::tooling::FrontendActionFactory> make_compile_action(
    const CompileOptions& options, CompileResult& result, AttributeSpellingFilter& spelling) {
  return std::make_unique<WorkflowActionFactory>(options, result, spelling);
}

}  // namespace workflow::compiler
