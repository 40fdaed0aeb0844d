// The stable ID format: see stable_id.hpp and docs/stable-ids.md.
#include "stable_id.hpp"

#include <filesystem>

namespace workflow::compiler {

std::string_view kind_name(EntityKind kind) {
  return kind == EntityKind::workflow ? "workflow" : "step";
}

std::string id_path(std::string_view file, std::string_view root) {
  namespace fs = std::filesystem;
  fs::path relative = fs::path(file).lexically_normal().lexically_relative(fs::path(root).lexically_normal());
  if (relative.empty()) relative = fs::path(file).lexically_normal();
  relative.replace_extension();
  // generic_string() is '/'-separated whatever the host's separator.
  std::string path = relative.generic_string();
  if (path.rfind("./", 0) == 0) path.erase(0, 2);
  return path;
}

std::string derived_id(EntityKind kind, std::string_view path, std::string_view qualified_name) {
  std::string id(kind_name(kind));
  id += "//./";
  id += path;
  id += "//";
  id += qualified_name;
  return id;
}

std::string stable_id(EntityKind kind, std::string_view explicit_id, std::string_view file,
                      std::string_view root, std::string_view qualified_name) {
  if (!explicit_id.empty()) return std::string(explicit_id);
  return derived_id(kind, id_path(file, root), qualified_name);
}

}  // namespace workflow::compiler
