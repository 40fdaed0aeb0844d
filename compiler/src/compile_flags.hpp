// Adjusting a compile command for wfc's parse: build systems hand wfc the flags of the real
// compile, often g++'s. Flags clang does not know are dropped with a warning (an unknown driver
// flag would otherwise stop the parse), C++20 is the default standard (the runtime needs it),
// and the builtin headers come from the clang wfc was built with.
#pragma once

#include <clang/Tooling/ArgumentsAdjusters.h>

#include <string>

namespace workflow::compiler {

/// Removes driver flags clang does not know, printing `wfc: warning: ...` once per flag.
clang::tooling::ArgumentsAdjuster drop_unknown_flags();

/// Adds -std=c++20 when the command names no standard, and wfc's own parse settings.
clang::tooling::ArgumentsAdjuster parse_settings(const std::string& resource_dir);

/// Makes clang write a Make-style dependency file for `target` (the rewritten output).
clang::tooling::ArgumentsAdjuster dependency_file(const std::string& depfile, const std::string& target);

}  // namespace workflow::compiler
