// Whether a type can cross the journal: nlohmann_json must be able to write and read it back.
//
// The runtime enforces this with a static_assert on the concept `workflow::Serializable` when
// the rewritten file compiles; wfc checks first, so the error points at the step's signature, not
// into a template. When the translation unit includes the runtime's headers, wfc asks clang's
// Sema whether the concept is satisfied: exactly the runtime's judgement, with every
// adl_serializer specialization, to_json overload and template instantiation the real compile
// sees. Without them, a structural approximation is used. A plain aggregate without conversions
// serializes through the ones wfc writes for it (aggregate_serializer.hpp).
#pragma once

#include "aggregate_serializer.hpp"

#include <clang/AST/Type.h>

#include <map>
#include <string>

namespace clang {
class ASTContext;
class ConceptDecl;
class Sema;
}  // namespace clang

namespace workflow::compiler {

class SerializableTypes {
 public:
  /// Aggregates without conversions of their own are requested from `aggregates`, which makes
  /// them serializable.
  SerializableTypes(clang::Sema& sema, AggregateSerializers& aggregates);

  /// Empty when `type` (references and cv-qualifiers aside) serializes; otherwise the name of the
  /// first part that does not: the type itself or, for `std::vector<Socket>`, `Socket`; `member`
  /// is set to the aggregate member that has that part, if any.
  std::string non_serializable_part(clang::QualType type, clang::SourceLocation where,
                                    const clang::FieldDecl** member = nullptr);

 private:
  bool serializable(clang::QualType type, clang::SourceLocation where);
  bool satisfies_concept(clang::QualType type, clang::SourceLocation where);
  bool serializable_by_generation(clang::QualType type, clang::SourceLocation where);

  clang::Sema& sema_;
  AggregateSerializers& aggregates_;
  clang::ASTContext& context_;
  clang::ConceptDecl* concept_ = nullptr;  // workflow::Serializable, when declared
  std::map<const clang::Type*, bool> known_;
};

}  // namespace workflow::compiler
