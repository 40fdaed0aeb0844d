// The serializability judgement: see serializable_type.hpp.
//
// The approximation (no runtime headers in the translation unit) accepts arithmetic types, bool,
// enums, nlohmann::json, std::string, the standard containers, optional, pair and tuple of
// accepted types, and any class with ADL to_json/from_json (free or friend functions, as
// NLOHMANN_DEFINE_TYPE_* define them) or an adl_serializer specialization.
#include "serializable_type.hpp"

#include "discovery.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclFriend.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprConcepts.h>
#include <clang/Sema/Sema.h>
#include <clang/Sema/Template.h>

#include <optional>
#include <set>
#include <vector>

namespace workflow::compiler {
namespace {

const std::set<std::string> kStandardTemplates = {
    "std::vector", "std::list", "std::deque", "std::forward_list", "std::array", "std::set",
    "std::multiset", "std::unordered_set", "std::unordered_multiset", "std::map", "std::multimap",
    "std::unordered_map", "std::unordered_multimap", "std::optional", "std::pair", "std::tuple",
    "std::valarray", "std::basic_string", "std::variant"};

// Template arguments that are not data: a container serializes whatever they are.
bool is_policy_type(clang::QualType type) {
  const auto* part = type->getAsCXXRecordDecl();
  if (!part) return false;
  std::string name = qualified_name_of(part);
  return name == "std::allocator" || name == "std::less" || name == "std::hash" || name == "std::equal_to" ||
         name == "std::char_traits" || name == "std::greater";
}

// The data a standard container or wrapper holds: its type arguments, a variant's pack included,
// without allocators, comparators and the like. Nothing when `record` is no such specialization.
std::optional<std::vector<clang::QualType>> standard_elements(const clang::CXXRecordDecl* record) {
  const auto* specialization = llvm::dyn_cast_or_null<clang::ClassTemplateSpecializationDecl>(record);
  if (!specialization || !kStandardTemplates.count(qualified_name_of(specialization->getSpecializedTemplate())))
    return std::nullopt;
  std::vector<clang::QualType> elements;
  auto add = [&](const clang::TemplateArgument& argument) {
    if (argument.getKind() == clang::TemplateArgument::Type && !is_policy_type(argument.getAsType()))
      elements.push_back(argument.getAsType());
  };
  for (const auto& argument : specialization->getTemplateArgs().asArray()) {
    if (argument.getKind() == clang::TemplateArgument::Pack) {
      for (const auto& element : argument.pack_elements()) add(element);
    } else {
      add(argument);
    }
  }
  return elements;
}

const clang::NamedDecl* lookup_in(const clang::DeclContext* scope, llvm::StringRef name) {
  auto& context = llvm::cast<clang::Decl>(scope)->getASTContext();
  for (const auto* found : scope->lookup(clang::DeclarationName(&context.Idents.get(name)))) return found;
  return nullptr;
}

bool takes_record(const clang::FunctionDecl* function, const clang::CXXRecordDecl* record) {
  if (function->getNumParams() != 2) return false;
  auto type = function->getParamDecl(1)->getType().getNonReferenceType().getUnqualifiedType();
  const auto* parameter = type->getAsCXXRecordDecl();
  return parameter && parameter->getCanonicalDecl() == record->getCanonicalDecl();
}

// Looks for `name(json, T)` as ADL would find it: in the class's namespace or as a friend.
bool has_adl_function(const clang::CXXRecordDecl* record, llvm::StringRef name) {
  auto& context = record->getASTContext();
  auto identifier = clang::DeclarationName(&context.Idents.get(name));
  for (const auto* friend_decl : record->friends()) {
    // Friends include operators, whose names are not identifiers.
    const auto* named = llvm::dyn_cast_or_null<clang::NamedDecl>(friend_decl->getFriendDecl());
    if (!named || named->getDeclName() != identifier) continue;
    if (const auto* function = llvm::dyn_cast<clang::FunctionDecl>(named); function && takes_record(function, record))
      return true;
    if (llvm::isa<clang::FunctionTemplateDecl>(named)) return true;
  }
  const clang::DeclContext* scope = record->getEnclosingNamespaceContext();
  for (const auto* found : scope->lookup(identifier)) {
    if (const auto* function = llvm::dyn_cast<clang::FunctionDecl>(found)) {
      if (takes_record(function, record)) return true;
    }
    if (llvm::isa<clang::FunctionTemplateDecl>(found)) return true;
  }
  return false;
}

bool has_adl_serializer(const clang::CXXRecordDecl* record) {
  auto& context = record->getASTContext();
  const auto* nlohmann = llvm::dyn_cast_or_null<clang::NamespaceDecl>(lookup_in(context.getTranslationUnitDecl(), "nlohmann"));
  if (!nlohmann) return false;
  std::vector<const clang::DeclContext*> scopes = {nlohmann};
  // nlohmann 3.11 puts it in an inline namespace (json_abi_v3_11_x).
  for (const auto* decl : nlohmann->decls()) {
    if (const auto* space = llvm::dyn_cast<clang::NamespaceDecl>(decl); space && space->isInline())
      scopes.push_back(space);
  }
  for (const auto* scope : scopes) {
    const auto* pattern = llvm::dyn_cast_or_null<clang::ClassTemplateDecl>(lookup_in(scope, "adl_serializer"));
    if (!pattern) continue;
    for (const auto* specialization : pattern->specializations()) {
      if (specialization->getSpecializationKind() != clang::TSK_ExplicitSpecialization) continue;
      const auto& arguments = specialization->getTemplateArgs();
      if (arguments.size() == 0 || arguments[0].getKind() != clang::TemplateArgument::Type) continue;
      const auto* argument = arguments[0].getAsType()->getAsCXXRecordDecl();
      if (argument && argument->getCanonicalDecl() == record->getCanonicalDecl()) return true;
    }
  }
  return false;
}

// The structural approximation, for translation units without the runtime's headers.
bool approximately_serializable(clang::QualType type, int depth) {
  if (depth > 16) return true;
  if (type->isVoidType() || type->isArithmeticType() || type->isEnumeralType() || type->isNullPtrType()) return true;
  if (type->isPointerType() || type->isMemberPointerType() || type->isFunctionType()) return false;
  const auto* record = type->getAsCXXRecordDecl();
  if (!record) return type->isDependentType();
  std::string name = qualified_name_of(record);
  if (name.rfind("nlohmann::", 0) == 0) return true;  // json, ordered_json
  if (auto elements = standard_elements(record)) {
    for (auto element : *elements) {
      if (!approximately_serializable(element.getCanonicalType().getUnqualifiedType(), depth + 1)) return false;
    }
    return true;
  }
  // A class this translation unit never completes (a template instance only declared here) has
  // no members to look at; the real compile decides.
  if (!record->hasDefinition()) return true;
  return (has_adl_function(record, "to_json") && has_adl_function(record, "from_json")) || has_adl_serializer(record);
}

}  // namespace

SerializableTypes::SerializableTypes(clang::Sema& sema, AggregateSerializers& aggregates)
    : sema_(sema), aggregates_(aggregates), context_(sema.getASTContext()) {
  const auto* space = llvm::dyn_cast_or_null<clang::NamespaceDecl>(lookup_in(context_.getTranslationUnitDecl(), "workflow"));
  if (space) concept_ = llvm::dyn_cast_or_null<clang::ConceptDecl>(const_cast<clang::NamedDecl*>(lookup_in(space, "Serializable")));
}

bool SerializableTypes::satisfies_concept(clang::QualType type, clang::SourceLocation where) {
  clang::TemplateArgumentListInfo arguments(where, where);
  arguments.addArgument(clang::TemplateArgumentLoc(clang::TemplateArgument(type),
                                                   context_.getTrivialTypeSourceInfo(type, where)));
  clang::CXXScopeSpec scope;
  clang::DeclarationNameInfo name(concept_->getDeclName(), where);
  // Substitution failures make the concept false; they are not errors of the user's program.
  clang::Sema::SFINAETrap trap(sema_);
  auto result = sema_.CheckConceptTemplateId(scope, clang::SourceLocation(), name, concept_, concept_, &arguments);
  if (result.isInvalid() || trap.hasErrorOccurred()) return false;
  const auto* check = llvm::dyn_cast<clang::ConceptSpecializationExpr>(result.get());
  return check && check->isSatisfied();
}

bool SerializableTypes::serializable(clang::QualType type, clang::SourceLocation where) {
  type = type.getNonReferenceType().getCanonicalType().getUnqualifiedType();
  // A C array travels as a JSON array of its elements.
  if (const auto* array = context_.getAsConstantArrayType(type)) return serializable(array->getElementType(), where);
  if (type->isDependentType()) return true;
  auto [known, inserted] = known_.emplace(type.getTypePtr(), true);
  if (!inserted) return known->second;
  bool verdict = concept_ ? satisfies_concept(type, where) : approximately_serializable(type, 0);
  if (!verdict) verdict = serializable_by_generation(type, where);
  known_[type.getTypePtr()] = verdict;
  return verdict;
}

// An aggregate whose members serialize, or a standard container of such aggregates. Members are
// requested before the aggregate that holds them, so their conversions come first. A type that
// refers to itself (a tree's vector of children) is taken as serializable while it is judged.
bool SerializableTypes::serializable_by_generation(clang::QualType type, clang::SourceLocation where) {
  const auto* record = type->getAsCXXRecordDecl();
  if (!record) return false;
  if (auto elements = standard_elements(record)) {
    // Only when an element is a generated aggregate: otherwise the container itself is the problem.
    bool generated = false;
    for (auto element : *elements) {
      auto part = element.getCanonicalType().getUnqualifiedType();
      if (concept_ && satisfies_concept(part, where)) continue;
      if (!serializable(part, where)) return false;
      generated = true;
    }
    return generated;
  }
  if (!aggregates_.eligible(record)) return false;
  for (const auto* field : record->getDefinition()->fields()) {
    if (!field->isUnnamedBitField() && !serializable(field->getType(), where)) return false;
  }
  aggregates_.request(record);
  return true;
}

std::string SerializableTypes::non_serializable_part(clang::QualType written, clang::SourceLocation where,
                                                     const clang::FieldDecl** member) {
  written = written.getNonReferenceType().getUnqualifiedType();
  auto type = written.getCanonicalType().getUnqualifiedType();
  if (serializable(type, where)) return "";
  // Name the innermost culprit: `Socket` rather than `std::vector<Socket>`.
  if (const auto* array = context_.getAsConstantArrayType(type)) return non_serializable_part(array->getElementType(), where);
  if (const auto* record = type->getAsCXXRecordDecl()) {
    // Only the standard containers and wrappers are judged by their elements.
    if (auto elements = standard_elements(record)) {
      for (auto element : *elements) {
        auto culprit = non_serializable_part(element, where, member);
        if (!culprit.empty()) return culprit;
      }
    }
    if (aggregates_.eligible(record)) {
      for (const auto* field : record->getDefinition()->fields()) {
        if (field->isUnnamedBitField()) continue;
        const clang::FieldDecl* inner = nullptr;
        auto culprit = non_serializable_part(field->getType(), where, &inner);
        if (culprit.empty()) continue;
        if (member) *member = inner ? inner : field;
        return culprit;
      }
    }
  }
  return written.getAsString(context_.getPrintingPolicy());
}

}  // namespace workflow::compiler
