// The source rewrite: see source_rewriter.hpp.
#include "source_rewriter.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/QualTypeNames.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/Lexer.h>

#include <algorithm>
#include <stdexcept>

namespace workflow::compiler {
namespace {

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string function_reference(const TaggedFunction& function, clang::ASTContext& context) {
  std::string name = "&::" + function.qualified_name;
  const auto* decl = function.canonical;
  auto found = decl->getDeclContext()->getRedeclContext()->lookup(decl->getDeclName());
  if (std::distance(found.begin(), found.end()) <= 1) return name;
  clang::PrintingPolicy policy(context.getLangOpts());
  policy.FullyQualifiedName = true;
  policy.SuppressUnwrittenScope = true;
  auto type = clang::TypeName::getFullyQualifiedType(context.getPointerType(decl->getType()), context, true);
  return "static_cast<" + type.getAsString(policy) + ">(" + name + ")";
}

SourceRewriter::SourceRewriter(clang::ASTContext& context) : context_(context) {}

void SourceRewriter::insert(clang::SourceLocation where, std::string text) {
  edits_.push_back({context_.getSourceManager().getFileOffset(where), 0, std::move(text)});
}

void SourceRewriter::replace(clang::SourceLocation begin, clang::SourceLocation end_token, std::string text) {
  const auto& sources = context_.getSourceManager();
  auto end = clang::Lexer::getLocForEndOfToken(end_token, 0, sources, context_.getLangOpts());
  unsigned from = sources.getFileOffset(begin);
  edits_.push_back({from, sources.getFileOffset(end) - from, std::move(text)});
}

void SourceRewriter::rewrite_journaled_call(const JournaledCall& call) {
  const auto& sources = context_.getSourceManager();
  const auto& options = context_.getLangOpts();
  const auto* callee = call.call->getCallee()->IgnoreParenImpCasts();
  replace(callee->getBeginLoc(), callee->getEndLoc(),
          std::string(call.callee->kind == EntityKind::step ? "::workflow::detail::call_step<"
                                                            : "::workflow::detail::call_workflow<") +
              function_reference(*call.callee, context_) + ">");
  auto open = clang::Lexer::findNextToken(callee->getEndLoc(), sources, options);
  if (!open || open->isNot(clang::tok::l_paren)) {
    throw std::logic_error("no '(' after the callee of a step call");
  }
  // Arguments the caller wrote, then the callee's default arguments, written out (the dispatch
  // call receives them as ordinary arguments).
  unsigned written = 0;
  std::vector<std::string> defaults;
  for (const auto* argument : call.call->arguments()) {
    if (const auto* fallback = llvm::dyn_cast<clang::CXXDefaultArgExpr>(argument)) {
      auto range = clang::CharSourceRange::getTokenRange(fallback->getParam()->getDefaultArgRange());
      defaults.push_back(clang::Lexer::getSourceText(range, sources, options).str());
    } else {
      ++written;
    }
  }
  insert(open->getEndLoc(), quoted(call.callee->id) + (written ? ", " : ""));
  std::string tail;
  for (const auto& fallback : defaults) tail += ", " + fallback;
  if (!tail.empty()) insert(call.call->getRParenLoc(), tail);
}

void SourceRewriter::add_workflow_entry(const TaggedFunction& workflow) {
  const auto* body = workflow.definition->getBody();
  if (const auto* try_block = llvm::dyn_cast<clang::CXXTryStmt>(body)) body = try_block->getTryBlock();
  const auto* block = llvm::cast<clang::CompoundStmt>(body);
  insert(block->getLBracLoc().getLocWithOffset(1),
         " ::workflow::detail::workflow_entry(" + quoted(workflow.id) + ");");
}

void SourceRewriter::add_registration(const TaggedFunction& function) {
  const auto& sources = context_.getSourceManager();
  unsigned line = sources.getExpansionLineNumber(function.definition->getLocation());
  std::string call = function.kind == EntityKind::workflow ? "register_workflow" : "register_step";
  registrations_.emplace_back(line, "::workflow::detail::" + call + "<" +
                                        function_reference(function, context_) + ">(" +
                                        quoted(function.id) + ");");
}

std::string SourceRewriter::output(const std::string& shown_path) const {
  const auto& sources = context_.getSourceManager();
  llvm::StringRef buffer = sources.getBufferData(sources.getMainFileID());
  auto edits = edits_;
  // Insertions before replacements at one offset (the `"id", ` after an outer call's `(` comes
  // before the inner callee it precedes); otherwise the order they were made in.
  std::stable_sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) {
    if (a.offset != b.offset) return a.offset < b.offset;
    return a.length == 0 && b.length != 0;
  });
  std::string out = "// Generated by wfc from " + shown_path + ". Edit that file, not this one.\n";
  out += "#include <workflow/workflow.hpp>\n";
  out += "#line 1 " + quoted(shown_path) + "\n";
  unsigned position = 0;
  for (const auto& edit : edits) {
    if (edit.offset < position) throw std::logic_error("overlapping rewrite edits");
    out += buffer.slice(position, edit.offset).str();
    out += edit.text;
    position = edit.offset + edit.length;
  }
  out += buffer.substr(position).str();
  if (!out.empty() && out.back() != '\n') out += '\n';
  if (registrations_.empty()) return out;
  out += "namespace {\n";
  for (std::size_t i = 0; i < registrations_.size(); ++i) {
    out += "#line " + std::to_string(registrations_[i].first) + " " + quoted(shown_path) + "\n";
    out += "[[maybe_unused]] const bool wfc_registered_" + std::to_string(i) + " = " +
           registrations_[i].second + "\n";
  }
  out += "}  // namespace\n";
  return out;
}

}  // namespace workflow::compiler
