// The manifest: a JSON list of the workflows and steps a translation unit declares or defines,
// with their IDs and locations, for build tools, the CLI and humans. Format in docs/compiler.md.
#pragma once

#include "discovery.hpp"

#include <nlohmann/json.hpp>

namespace workflow::compiler {

nlohmann::json manifest_of(const Discovery& discovery, clang::ASTContext& context,
                           const std::string& source);

}  // namespace workflow::compiler
