// The wfc command line: see wfc_driver.hpp and docs/compiler.md ("Command line").
#include "wfc_driver.hpp"

#include "attribute_spelling.hpp"
#include "compile_flags.hpp"
#include "compile_job.hpp"

#include <clang/Basic/Version.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <clang/Tooling/CommonOptionsParser.h>
#include <clang/Tooling/JSONCompilationDatabase.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/StringSaver.h>
#include <llvm/Support/raw_ostream.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#ifndef WORKFLOW_CLANG_RESOURCE_DIR
#define WORKFLOW_CLANG_RESOURCE_DIR ""
#endif

namespace workflow::compiler {
namespace {

namespace cl = llvm::cl;

cl::OptionCategory category("wfc options");
cl::opt<std::string> output_path("o", cl::desc("Write the rewritten source to <file> (default: stdout)"),
                                 cl::value_desc("file"), cl::cat(category));
cl::opt<std::string> root_dir("root", cl::desc("Project root that stable IDs' paths are relative to "
                                               "(default: the current directory)"),
                              cl::value_desc("dir"), cl::cat(category));
cl::opt<std::string> manifest_path("manifest", cl::desc("Write the JSON manifest of workflows and steps to <file>"),
                                   cl::value_desc("file"), cl::cat(category));
cl::opt<std::string> depfile_path("depfile", cl::desc("Write a Make-style dependency file for the output to <file>"),
                                  cl::value_desc("file"), cl::cat(category));
cl::alias depfile_alias("MF", cl::desc("Alias for --depfile"), cl::aliasopt(depfile_path), cl::cat(category));

constexpr const char* kOverview =
    "wfc: the workflow-cpp compiler. Rewrites a C++ source so that calls to [[workflow::step]]\n"
    "functions inside [[workflow::workflow]] functions are journaled, and registers both.\n\n"
    "  wfc [options] <source> -o <out.cpp> -- <compiler flags>\n"
    "  wfc [options] -p <build dir> <source> -o <out.cpp>\n";

int fail(const std::string& message, int code) {
  llvm::errs() << "wfc: error: " << message << "\n";
  return code;
}

// Writes through a temporary file and a rename, so a build never sees half a file.
bool write_file(const std::string& path, const std::string& content) {
  std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return false;
    out << content;
    if (!out.flush()) return false;
  }
  return !llvm::sys::fs::rename(temporary, path);
}

std::string absolute(const std::string& path) {
  llvm::SmallString<256> full(path);
  llvm::sys::fs::make_absolute(full);
  llvm::sys::path::remove_dots(full, true);
  return std::string(full);
}

// One parse of `source` (or of `replacement`, standing in for its content) with clang, printing
// diagnostics to `diagnostics_out`; returns the tool's status.
int parse(const clang::tooling::CompilationDatabase& compilations, const std::string& source,
          const CompileOptions& options, const std::string& depfile_temporary, const std::string& output,
          llvm::raw_ostream& diagnostics_out, CompileResult& result, const std::string* replacement) {
  clang::tooling::ClangTool tool(compilations, {source});
  if (replacement) tool.mapVirtualFile(source, *replacement);
  tool.appendArgumentsAdjuster(drop_unknown_flags());
  tool.appendArgumentsAdjuster(parse_settings(WORKFLOW_CLANG_RESOURCE_DIR));
  if (!depfile_temporary.empty()) {
    tool.appendArgumentsAdjuster(dependency_file(depfile_temporary, output.empty() ? source : output));
  }
  auto diagnostic_options = llvm::makeIntrusiveRefCnt<clang::DiagnosticOptions>();
  diagnostic_options->ShowColors = diagnostics_out.has_colors();
  // The second parse reads a file with #line directives: show the user's lines, as clang does.
  diagnostic_options->ShowPresumedLoc = true;
  AttributeSpellingFilter diagnostics(
      std::make_unique<clang::TextDiagnosticPrinter>(diagnostics_out, diagnostic_options.get()));
  tool.setDiagnosticConsumer(&diagnostics);
  tool.setPrintErrorMessage(false);  // clang's diagnostics already said what is wrong
  int status = tool.run(make_compile_action(options, result, diagnostics).get());
  if (diagnostics.getNumErrors() > 0) result.produced = false;
  return status;
}

}  // namespace

int run_wfc(int argc, const char** argv) {
  // Build systems pass the flags in a response file (`-- @flags.rsp`); expand it ourselves, since
  // LibTooling only sees the words after `--`.
  llvm::BumpPtrAllocator allocator;
  llvm::StringSaver saver(allocator);
  llvm::SmallVector<const char*, 64> arguments(argv, argv + argc);
  if (!llvm::cl::ExpandResponseFiles(saver, llvm::cl::TokenizeGNUCommandLine, arguments)) {
    return fail("cannot read a response file named on the command line", 2);
  }
  int count = static_cast<int>(arguments.size());
  auto parser = clang::tooling::CommonOptionsParser::create(count, arguments.data(), category,
                                                            cl::ZeroOrMore, kOverview);
  if (!parser) {
    llvm::errs() << "wfc: error: " << llvm::toString(parser.takeError()) << "\n";
    return 2;
  }
  const auto& sources = parser->getSourcePathList();
  if (sources.size() != 1) {
    return fail(sources.empty() ? "no input file (usage: wfc <source> -o <out.cpp> -- <flags>)"
                                : "wfc takes one source file per run",
                2);
  }
  std::string source = absolute(sources.front());
  if (!llvm::sys::fs::exists(source)) return fail("no such file: '" + sources.front() + "'", 1);
  if (llvm::sys::fs::is_directory(source)) return fail("'" + sources.front() + "' is a directory", 1);
  auto& compilations = parser->getCompilations();
  // LibTooling guesses a command for a file the database lacks (from its neighbours); a build
  // that asks for a file its own database does not know is misconfigured, so say so.
  auto* build_path = static_cast<cl::opt<std::string>*>(cl::getRegisteredOptions().lookup("p"));
  if (build_path && !build_path->empty()) {
    std::string problem;
    // The plain JSON database: the one autoDetect returns already guesses missing files.
    auto database = clang::tooling::JSONCompilationDatabase::loadFromFile(
        std::string(*build_path) + "/compile_commands.json", problem,
        clang::tooling::JSONCommandLineSyntax::AutoDetect);
    if (database && database->getCompileCommands(source).empty()) {
      return fail("the compilation database in '" + std::string(*build_path) + "' has no command for '" +
                      sources.front() +
                      "'\nnote: hint: regenerate it (CMAKE_EXPORT_COMPILE_COMMANDS=ON) or pass the flags after '--'",
                  1);
    }
  }
  if (compilations.getCompileCommands(source).empty()) {
    return fail("the compilation database has no command for '" + sources.front() +
                    "'\nnote: hint: regenerate it (CMAKE_EXPORT_COMPILE_COMMANDS=ON) or pass the flags after '--'",
                1);
  }

  CompileOptions options;
  options.root = absolute(root_dir.empty() ? std::string(".") : std::string(root_dir));
  options.shown_path = source;
  std::string output = output_path.empty() ? std::string() : absolute(output_path);
  std::string depfile_temporary = depfile_path.empty() ? std::string() : absolute(depfile_path) + ".tmp";

  // Build systems do not all create the directories of a custom command's outputs (Make does not).
  for (const std::string& path : {output, depfile_temporary, manifest_path.empty() ? std::string() : absolute(manifest_path)}) {
    if (path.empty()) continue;
    if (auto error = llvm::sys::fs::create_directories(llvm::sys::path::parent_path(path))) {
      return fail("cannot create the directory of '" + path + "': " + error.message(), 2);
    }
  }

  // A first parse of the file as written; its diagnostics are held back in case a second parse,
  // with the JSON conversions wfc writes for aggregates, replaces it (compile_job.hpp).
  std::string held_diagnostics;
  llvm::raw_string_ostream held(held_diagnostics);
  options.may_augment = true;
  options.statistics_out = &held;
  CompileResult result;
  int status = parse(compilations, source, options, depfile_temporary, output, held, result, nullptr);
  if (!result.produced && !result.augmented_source.empty()) {
    std::string augmented = std::move(result.augmented_source);
    auto serializers = std::move(result.augmented_serializers);
    options.may_augment = false;
    options.statistics_out = nullptr;
    result = CompileResult();
    status = parse(compilations, source, options, depfile_temporary, output, llvm::errs(), result, &augmented);
    if (result.produced) result.manifest["generated_serializers"] = serializers;
  } else {
    llvm::errs() << held.str();
  }
  if (status != 0 || !result.produced) {
    if (!depfile_temporary.empty()) std::remove(depfile_temporary.c_str());
    return 1;
  }
  if (output.empty()) {
    llvm::outs() << result.rewritten;
  } else if (!write_file(output, result.rewritten)) {
    return fail("cannot write '" + output + "'", 2);
  }
  if (!manifest_path.empty() && !write_file(absolute(manifest_path), result.manifest.dump(2) + "\n")) {
    return fail("cannot write '" + std::string(manifest_path) + "'", 2);
  }
  if (!depfile_temporary.empty() && llvm::sys::fs::rename(depfile_temporary, absolute(depfile_path))) {
    return fail("cannot write '" + std::string(depfile_path) + "'", 2);
  }
  return 0;
}

}  // namespace workflow::compiler
