// The source rewrite: see source_rewriter.hpp.
#include "source_rewriter.hpp"

#include "default_argument.hpp"
#include "diagnostics.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/QualTypeNames.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/Lexer.h>
#include <clang/Tooling/Core/Replacement.h>

#include <algorithm>

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

constexpr llvm::StringRef kByteOrderMark = "\xEF\xBB\xBF";

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
  edits_.push_back({context_.getSourceManager().getFileOffset(where), 0, std::move(text), where});
}

void SourceRewriter::replace(clang::SourceLocation begin, clang::SourceLocation end_token, std::string text) {
  const auto& sources = context_.getSourceManager();
  auto end = clang::Lexer::getLocForEndOfToken(end_token, 0, sources, context_.getLangOpts());
  unsigned from = sources.getFileOffset(begin);
  edits_.push_back({from, sources.getFileOffset(end) - from, std::move(text), begin});
}

void SourceRewriter::rewrite_journaled_call(const JournaledCall& call) {
  std::string journaled = std::string(call.callee->kind == EntityKind::step ? "::workflow::detail::step_call<"
                                                                           : "::workflow::detail::workflow_call<") +
                          function_reference(*call.callee, context_) + ">(" + quoted(call.callee->id) + ")";
  // The callee as written, inside any parentheses: `f`, `ns::f`, `(f)`, or `object.f` for a
  // static member called through an object.
  const auto* callee = call.call->getCallee()->IgnoreParenImpCasts();
  const auto* member = llvm::dyn_cast<clang::MemberExpr>(callee);
  if (member && !member->isImplicitAccess()) {
    // The object is still evaluated, before the arguments, as in the plain call; only its value
    // is unused. static_cast<void> keeps an overloaded comma out of it.
    insert(member->getBase()->getBeginLoc(), "(static_cast<void>(");
    replace(member->getOperatorLoc(), member->getMemberLoc(), "), " + journaled + ")");
  } else {
    auto name = member ? member->getMemberLoc() : callee->getBeginLoc();
    replace(name, callee->getEndLoc(), journaled);
  }
  append_default_arguments(call);
}

void SourceRewriter::append_default_arguments(const JournaledCall& call) {
  unsigned written = 0;
  for (const auto* argument : call.call->arguments()) {
    if (!llvm::isa<clang::CXXDefaultArgExpr>(argument)) ++written;
  }
  // The declaration that gives the defaults: the one the call sees, i.e. every redeclaration's.
  const auto* function = call.callee->canonical->getMostRecentDecl();
  std::string tail;
  for (unsigned index = written; index < function->getNumParams(); ++index) {
    const auto* parameter = function->getParamDecl(index);
    if (!parameter->hasDefaultArg()) break;  // the call does not compile as written: clang says so
    std::string problem;
    auto text = portable_default_argument(parameter, context_, problem);
    if (!text) {
      std::string name = parameter->getName().empty() ? std::to_string(index + 1) : "'" + parameter->getNameAsString() + "'";
      report_error(context_, call.call->getBeginLoc(), "default-argument-not-portable",
                   "the default argument of parameter " + name + " of " +
                       std::string(kind_name(call.callee->kind)) + " '" + call.callee->qualified_name +
                       "' cannot be written out at this journaled call: " + problem,
                   "pass the argument explicitly");
      report_note(context_, parameter->getLocation(), "the parameter is declared here");
      return;
    }
    tail += (index == 0 ? "" : ", ") + *text;
  }
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
  // Presumed: the file wfc parses may carry #line directives of its own (the second pass).
  unsigned line = sources.getPresumedLineNumber(sources.getExpansionLoc(function.definition->getLocation()));
  std::string call = function.kind == EntityKind::workflow ? "register_workflow" : "register_step";
  registrations_.emplace_back(line, "::workflow::detail::" + call + "<" +
                                        function_reference(function, context_) + ">(" +
                                        quoted(function.id) + ");");
}

void SourceRewriter::add_lines_after(clang::SourceLocation where, std::string code, unsigned shown_line) {
  const auto& sources = context_.getSourceManager();
  where = sources.getExpansionLoc(where);
  llvm::StringRef buffer = sources.getBufferData(sources.getMainFileID());
  std::size_t end_of_line = buffer.find('\n', sources.getFileOffset(where));
  unsigned line = sources.getPresumedLineNumber(where);
  // `#line` needs the path, known only in output(): marked with \x01 here, filled in there.
  std::string text = "#line " + std::to_string(shown_line ? shown_line : line) + " \x01\n" + code + "\n#line " +
                     std::to_string(line + 1) + " \x01\n";
  if (end_of_line == llvm::StringRef::npos) {
    edits_.push_back({static_cast<unsigned>(buffer.size()), 0, "\n" + text, where});
  } else {
    edits_.push_back({static_cast<unsigned>(end_of_line + 1), 0, std::move(text), where});
  }
}

void SourceRewriter::add_lines_at_start(std::string code) {
  const auto& sources = context_.getSourceManager();
  auto start = sources.getLocForStartOfFile(sources.getMainFileID());
  edits_.push_back({0, 0, code + "\n#line 1 \x01\n", start});
}

std::optional<std::string> SourceRewriter::edited(const std::string& shown_path) const {
  const auto& sources = context_.getSourceManager();
  llvm::StringRef buffer = sources.getBufferData(sources.getMainFileID());
  std::string file_name = sources.getFileEntryRefForID(sources.getMainFileID())->getName().str();

  // Edits at one offset become one replacement: insertions first, in the order they were made
  // (the object of a member call before the callee that starts there), then the replacement.
  auto edits = edits_;
  std::stable_sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) {
    if (a.offset != b.offset) return a.offset < b.offset;
    return a.length == 0 && b.length != 0;
  });
  clang::tooling::Replacements replacements;
  // A UTF-8 byte order mark must stay the file's first bytes, and the file now starts with ours.
  if (buffer.starts_with(kByteOrderMark)) {
    llvm::cantFail(replacements.add(clang::tooling::Replacement(file_name, 0, kByteOrderMark.size(), "")));
  }
  for (std::size_t i = 0; i < edits.size();) {
    Edit merged = edits[i];
    for (++i; i < edits.size() && edits[i].offset == merged.offset && merged.length == 0; ++i) {
      merged.text += edits[i].text;
      merged.length = edits[i].length;
    }
    std::string text = merged.text;
    for (std::size_t mark; (mark = text.find('\x01')) != std::string::npos;) text.replace(mark, 1, quoted(shown_path));
    if (auto error = replacements.add(clang::tooling::Replacement(file_name, merged.offset, merged.length, text))) {
      llvm::consumeError(std::move(error));
      report_error(context_, merged.where, "overlapping-rewrite",
                   "wfc would rewrite this code twice (two journaled calls overlap); no output was written",
                   "split the expression into separate statements, and report this construct to the "
                   "workflow-cpp developers");
      return std::nullopt;
    }
  }
  auto rewritten = clang::tooling::applyAllReplacements(buffer, replacements);
  if (!rewritten) {
    llvm::consumeError(rewritten.takeError());
    report_error(context_, sources.getLocForStartOfFile(sources.getMainFileID()), "overlapping-rewrite",
                 "wfc could not apply its edits to this file; no output was written",
                 "report this file to the workflow-cpp developers");
    return std::nullopt;
  }
  return std::move(*rewritten);
}

std::optional<std::string> SourceRewriter::output(const std::string& shown_path) const {
  auto rewritten = edited(shown_path);
  if (!rewritten) return std::nullopt;

  std::string version = std::to_string(kDispatchInterface);
  std::string out = "// Generated by wfc from " + shown_path + ". Edit that file, not this one.\n";
  out += "#include <workflow/workflow.hpp>\n";
  out += "#if WORKFLOW_DISPATCH_INTERFACE != " + version + "\n";
  out += "#error \"this file was generated by a wfc that emits dispatch interface " + version +
         ", but the workflow-cpp headers found provide another: build wfc and the runtime from the same "
         "workflow-cpp version\"\n";
  out += "#endif\n";
  out += "#line 1 " + quoted(shown_path) + "\n";
  out += *rewritten;
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
