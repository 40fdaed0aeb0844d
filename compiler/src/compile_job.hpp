// One wfc job: parse a source file with clang, find its workflows and steps, check them, and
// produce the rewritten file and the manifest. The library entry point that the `wfc` main (and
// tests) drive; writes nothing itself.
#pragma once

#include <clang/Tooling/Tooling.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace workflow::compiler {

class AttributeSpellingFilter;

struct CompileOptions {
  std::string root;        // project root for stable IDs
  std::string shown_path;  // the source's path as #line directives show it
};

struct CompileResult {
  bool produced = false;  // false when any error was reported
  std::string rewritten;
  nlohmann::json manifest;
};

/// Creates the frontend action for clang::tooling::ClangTool::run. `result` and `spelling` must
/// outlive the run.
std::unique_ptr<clang::tooling::FrontendActionFactory> make_compile_action(
    const CompileOptions& options, CompileResult& result, AttributeSpellingFilter& spelling);

}  // namespace workflow::compiler
