// Discovery: the workflows and steps a translation unit knows, across redeclarations.
//
// The attribute may sit on a header declaration only, on the definition only, or on both; every
// redeclaration is checked. A function is identified by its canonical declaration.
#pragma once

#include "stable_id.hpp"

#include <clang/AST/Decl.h>

#include <map>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
}

namespace workflow::compiler {

struct TaggedFunction {
  EntityKind kind;
  const clang::FunctionDecl* canonical;   // the key: one per function
  const clang::FunctionDecl* tagged;      // the first declaration carrying the attribute
  const clang::FunctionDecl* definition;  // null when defined in another translation unit
  std::string qualified_name;             // `shop::charge_card`, anonymous namespaces dropped
  std::string explicit_id;                // empty unless `[[workflow::step("...")]]`
  std::string id;                         // the stable ID
};

class Discovery {
 public:
  /// `root` is the project root the IDs' paths are relative to.
  Discovery(clang::ASTContext& context, std::string root);

  /// Walks the translation unit; reports conflicting attributes and ID collisions.
  void run();

  const std::vector<TaggedFunction>& functions() const { return functions_; }
  /// The tagged function `decl` is a redeclaration of, or null.
  const TaggedFunction* find(const clang::FunctionDecl* decl) const;

 private:
  void consider(const clang::FunctionDecl* decl);
  void report_id_collisions();

  clang::ASTContext& context_;
  std::string root_;
  std::vector<TaggedFunction> functions_;
  std::map<const clang::FunctionDecl*, std::size_t> by_canonical_;
};

/// The name used in IDs and in emitted code (without the leading `::`); anonymous and inline
/// namespaces (std::__cxx11, nlohmann::json_abi_v3_11_x) are left out.
std::string qualified_name_of(const clang::NamedDecl* decl);

}  // namespace workflow::compiler
