// JSON conversions that wfc writes for plain aggregate structs, so ordinary types need no macros.
//
// A struct that appears in a workflow's or step's signature (or inside such a type: a member, a
// container's element) and has no nlohmann conversion of its own gets `to_json`/`from_json`
// emitted in its namespace, found by ADL like NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE's: member names
// as keys, nested aggregates converted the same way, and a member missing from the JSON keeps its
// default member initializer (a field added later reads old journals). Only what the compiler can
// see completely qualifies: an aggregate class at namespace scope (or publicly nested in a class),
// not a template's specialization, without base classes, with named, non-const, non-reference
// members, outside system headers. The code
// goes right after the struct's definition, or for a struct from a header, right after the
// `#include` of the main file that brings it in; being `inline`, several translation units may
// emit it for one header.
#pragma once

#include <clang/AST/DeclCXX.h>

#include <set>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
}

namespace workflow::compiler {

class SourceRewriter;

class AggregateSerializers {
 public:
  explicit AggregateSerializers(clang::ASTContext& context);

  /// Whether wfc can write conversions for `record` (its members aside).
  bool eligible(const clang::CXXRecordDecl* record) const;
  /// Emits conversions for `record`; records requested earlier are emitted earlier.
  void request(const clang::CXXRecordDecl* record);
  bool requested(const clang::CXXRecordDecl* record) const;
  /// Qualified names of the requested records, for the manifest.
  std::vector<std::string> names() const;

  void emit(SourceRewriter& rewriter) const;

 private:
  /// The conversions' code, to be put at `where`; `in_own_namespace`: right after the record.
  std::string conversions(const clang::CXXRecordDecl* record, clang::SourceLocation where,
                          bool in_own_namespace) const;

  clang::ASTContext& context_;
  std::vector<const clang::CXXRecordDecl*> records_;
  std::set<const clang::CXXRecordDecl*> known_;
};

}  // namespace workflow::compiler
