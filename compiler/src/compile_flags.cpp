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
    if (!has_standard) adjusted.push_back("-std=c++20");
    adjusted.push_back("-Wno-unknown-warning-option");
    adjusted.push_back("-DWORKFLOW_WFC=1");  // see runtime/include/workflow/attributes.hpp
    if (!resource_dir.empty()) {
      adjusted.push_back("-resource-dir");
      adjusted.push_back(resource_dir);
    }
    return adjusted;
  };
}

clang::tooling::ArgumentsAdjuster dependency_file(const std::string& depfile, const std::string& target) {
  return [depfile, target](const clang::tooling::CommandLineArguments& arguments, llvm::StringRef) {
    auto adjusted = arguments;
    for (const char* flag : {"-MD", "-MF"}) adjusted.push_back(flag);
    adjusted.push_back(depfile);
    adjusted.push_back("-MT");
    adjusted.push_back(target);
    return adjusted;
  };
}

}  // namespace workflow::compiler
