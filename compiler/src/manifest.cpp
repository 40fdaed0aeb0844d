// The manifest: see manifest.hpp.
#include "manifest.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/Basic/SourceManager.h>

namespace workflow::compiler {

nlohmann::json manifest_of(const Discovery& discovery, clang::ASTContext& context,
                           const std::string& source) {
  const auto& sources = context.getSourceManager();
  auto location = [&](const clang::FunctionDecl* decl) {
    auto where = sources.getPresumedLoc(sources.getExpansionLoc(decl->getLocation()));
    return nlohmann::json{{"file", where.getFilename()}, {"line", where.getLine()}, {"column", where.getColumn()}};
  };
  nlohmann::json manifest{{"source", source}, {"workflows", nlohmann::json::array()},
                          {"steps", nlohmann::json::array()}};
  for (const auto& function : discovery.functions()) {
    nlohmann::json entry{{"id", function.id},
                         {"name", function.qualified_name},
                         {"explicit_id", !function.explicit_id.empty()},
                         {"declared", location(function.tagged)},
                         {"defined_here", function.definition != nullptr &&
                                              sources.isInMainFile(sources.getExpansionLoc(function.definition->getLocation()))}};
    manifest[function.kind == EntityKind::workflow ? "workflows" : "steps"].push_back(std::move(entry));
  }
  return manifest;
}

}  // namespace workflow::compiler
