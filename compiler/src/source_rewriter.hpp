// The rewrite of one source file (DESIGN §3, spec in docs/compiler.md): step calls inside workflow
// bodies become journaled dispatch calls, each workflow body starts with workflow_entry, and every
// workflow and step defined in the file is registered at the end. Edits never add or remove a
// line inside the original text, so one `#line 1` keeps every diagnostic and debugger location on
// the user's file; registrations and generated code carry their own `#line`.
//
// Every edit is a clang::tooling::Replacement of the original text; edits that would overlap are
// reported as an error at the place of the second one instead of producing a file that is not the
// original plus the journaling calls.
#pragma once

#include "discovery.hpp"
#include "workflow_body.hpp"

#include <optional>
#include <string>
#include <vector>

namespace workflow::compiler {

/// The version of the dispatch interface the emitted code calls (WORKFLOW_DISPATCH_INTERFACE in
/// runtime/include/workflow/detail/dispatch.hpp).
inline constexpr int kDispatchInterface = 2;

/// How emitted code names a function: `&::ns::f`, or with a cast when `f` is overloaded.
std::string function_reference(const TaggedFunction& function, clang::ASTContext& context);

class SourceRewriter {
 public:
  explicit SourceRewriter(clang::ASTContext& context);

  /// Turns the call into a journaled call; reports an error when a default argument it needs
  /// cannot be written at the call.
  void rewrite_journaled_call(const JournaledCall& call);
  void add_workflow_entry(const TaggedFunction& workflow);
  void add_registration(const TaggedFunction& function);
  /// Puts `code` on lines of its own after the line of `where` (a location in the main file),
  /// numbered from `shown_line` (0: the line of `where`), with a `#line` that puts the
  /// original's next line back in place.
  void add_lines_after(clang::SourceLocation where, std::string code, unsigned shown_line);
  /// Puts `code` on lines of its own before the first line of the main file.
  void add_lines_at_start(std::string code);

  /// The rewritten main file; `shown_path` is the path `#line` directives name. Nothing when two
  /// edits overlap (reported as an error).
  std::optional<std::string> output(const std::string& shown_path) const;
  /// The main file with the edits applied and nothing else (no header, no registrations).
  std::optional<std::string> edited(const std::string& shown_path) const;

 private:
  struct Edit {
    unsigned offset;
    unsigned length;
    std::string text;
    clang::SourceLocation where;  // for the diagnostic if it conflicts with another edit
  };
  void insert(clang::SourceLocation where, std::string text);
  void replace(clang::SourceLocation begin, clang::SourceLocation end_token, std::string text);
  void append_default_arguments(const JournaledCall& call);

  clang::ASTContext& context_;
  std::vector<Edit> edits_;
  std::vector<std::pair<unsigned, std::string>> registrations_;  // line, statement
};

}  // namespace workflow::compiler
