// The rewrite of one source file (DESIGN §3, spec in docs/compiler.md): step calls inside workflow
// bodies become journaled dispatch calls, each workflow body starts with workflow_entry, and every
// workflow and step defined in the file is registered at the end. Edits never add or remove a
// line inside the original text, so one `#line 1` keeps every diagnostic and debugger location on
// the user's file; registrations carry their own `#line` pointing at the declaration.
#pragma once

#include "discovery.hpp"
#include "workflow_body.hpp"

#include <string>
#include <vector>

namespace workflow::compiler {

/// How emitted code names a function: `&::ns::f`, or with a cast when `f` is overloaded.
std::string function_reference(const TaggedFunction& function, clang::ASTContext& context);

class SourceRewriter {
 public:
  explicit SourceRewriter(clang::ASTContext& context);

  void rewrite_journaled_call(const JournaledCall& call);
  void add_workflow_entry(const TaggedFunction& workflow);
  void add_registration(const TaggedFunction& function);

  /// The rewritten main file; `shown_path` is the path `#line` directives name.
  std::string output(const std::string& shown_path) const;

 private:
  struct Edit {
    unsigned offset;
    unsigned length;
    std::string text;
  };
  void insert(clang::SourceLocation where, std::string text);
  void replace(clang::SourceLocation begin, clang::SourceLocation end_token, std::string text);

  clang::ASTContext& context_;
  std::vector<Edit> edits_;
  std::vector<std::pair<unsigned, std::string>> registrations_;  // line, statement
};

}  // namespace workflow::compiler
