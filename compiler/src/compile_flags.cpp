// Adjusting compile commands: see compile_flags.hpp.
#include "compile_flags.hpp"

#include <clang/Driver/Driver.h>
#include <clang/Driver/Options.h>
#include <llvm/Option/ArgList.h>
#include <llvm/Option/OptTable.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <set>

namespace workflow::compiler {
namespace {

// Flags go before a `--` that ends the options (interpolated compile commands have one).
void append_flags(clang::tooling::CommandLineArguments& arguments, std::initializer_list<std::string> flags) {
  auto end = std::find(arguments.begin(), arguments.end(), "--");
  arguments.insert(end, flags.begin(), flags.end());
}

}  // namespace

clang::tooling::ArgumentsAdjuster drop_unknown_flags() {
  return [](const clang::tooling::CommandLineArguments& arguments, llvm::StringRef) {
    if (arguments.size() < 2) return arguments;
    std::vector<const char*> raw;
    for (std::size_t i = 1; i < arguments.size(); ++i) raw.push_back(arguments[i].c_str());
    unsigned missing_index = 0, missing_count = 0;
    const auto& table = clang::driver::getDriverOptTable();
    auto parsed = table.ParseArgs(raw, missing_index, missing_count,
                                  llvm::opt::Visibility(clang::driver::options::ClangOption));
    std::set<std::string> unknown;
    for (const auto* argument : parsed.filtered(clang::driver::options::OPT_UNKNOWN)) {
      unknown.insert(argument->getAsString(parsed));
    }
    if (unknown.empty()) return arguments;
    clang::tooling::CommandLineArguments kept{arguments.front()};
    for (std::size_t i = 1; i < arguments.size(); ++i) {
      if (unknown.count(arguments[i])) {
        llvm::errs() << "wfc: warning: ignoring '" << arguments[i]
                     << "', a flag clang does not know (g++ only?); it does not affect how wfc reads the file\n";
        continue;
      }
      kept.push_back(arguments[i]);
    }
    return kept;
  };
}

clang::tooling::ArgumentsAdjuster parse_settings(const std::string& resource_dir) {
  return [resource_dir](const clang::tooling::CommandLineArguments& arguments, llvm::StringRef) {
    auto adjusted = arguments;
    bool has_standard = std::any_of(arguments.begin(), arguments.end(), [](const std::string& argument) {
      return argument.rfind("-std=", 0) == 0 || argument.rfind("--std", 0) == 0;
    });
    if (!has_standard) append_flags(adjusted, {"-std=c++20"});
    // WORKFLOW_WFC: see runtime/include/workflow/attributes.hpp.
    append_flags(adjusted, {"-Wno-unknown-warning-option", "-DWORKFLOW_WFC=1"});
    if (!resource_dir.empty()) append_flags(adjusted, {"-resource-dir", resource_dir});
    return adjusted;
  };
}

clang::tooling::ArgumentsAdjuster dependency_file(const std::string& depfile, const std::string& target) {
  return [depfile, target](const clang::tooling::CommandLineArguments& arguments, llvm::StringRef) {
    auto adjusted = arguments;
    append_flags(adjusted, {"-MD", "-MF", depfile, "-MT", target});
    return adjusted;
  };
}

}  // namespace workflow::compiler
