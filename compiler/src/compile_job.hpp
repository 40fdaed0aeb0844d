// One wfc job: parse a source file with clang, find its workflows and steps, check them, and
// produce the rewritten file and the manifest. The library entry point that the `wfc` main (and
// tests) drive; writes nothing itself.
#pragma once

#include <clang/Tooling/Tooling.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace workflow::compiler {

class AttributeSpellingFilter;

struct CompileOptions {
  std::string root;        // project root for stable IDs
  std::string shown_path;  // the source's path as #line directives show it
  /// When the file does not compile as written but would with the JSON conversions wfc writes for
  /// aggregates (it serializes them itself, e.g. calls workflow::start with one), produce the file
  /// with those conversions in `augmented_source` for a second parse instead of failing.
  bool may_augment = false;
  /// Where clang's closing "N errors generated." goes (default: stderr).
  llvm::raw_ostream* statistics_out = nullptr;
};

struct CompileResult {
  bool produced = false;  // false when any error was reported
  std::string rewritten;
  nlohmann::json manifest;
  std::string augmented_source;  // see CompileOptions::may_augment; empty when not asked for
  std::vector<std::string> augmented_serializers;  // the aggregates augmented_source converts
};

/// Creates the frontend action for clang::tooling::ClangTool::run. `result` and `spelling` must
/// outlive the run.
std::unique_ptr<clang::tooling::FrontendActionFactory> make_compile_action(
    const CompileOptions& options, CompileResult& result, AttributeSpellingFilter& spelling);

}  // namespace workflow::compiler
