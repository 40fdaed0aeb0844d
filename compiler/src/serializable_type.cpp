// The serializability judgement: see serializable_type.hpp.
//
// Accepted: arithmetic types, bool, enums, nlohmann::json, std::string, the standard containers,
// optional, pair and tuple of accepted types, and any class with ADL to_json/from_json (free or
// friend functions, as NLOHMANN_DEFINE_TYPE_* define them) or an adl_serializer specialization.
#include "serializable_type.hpp"

#include "discovery.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclFriend.h>
#include <clang/AST/DeclTemplate.h>

#include <set>

namespace workflow::compiler {
namespace {

const std::set<std::string> kStandardTemplates = {
    "std::vector", "std::list", "std::deque", "std::forward_list", "std::array", "std::set",
    "std::multiset", "std::unordered_set", "std::unordered_multiset", "std::map", "std::multimap",
    "std::unordered_map", "std::unordered_multimap", "std::optional", "std::pair", "std::tuple",
    "std::valarray", "std::basic_string"};

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
    if (const auto* function = llvm::dyn_cast_or_null<clang::FunctionDecl>(friend_decl->getFriendDecl())) {
      if (function->getName() == name && takes_record(function, record)) return true;
    }
    if (llvm::isa_and_nonnull<clang::FunctionTemplateDecl>(friend_decl->getFriendDecl()) &&
        llvm::cast<clang::NamedDecl>(friend_decl->getFriendDecl())->getName() == name)
      return true;
  }
  const clang::DeclContext* scope = record->getEnclosingNamespaceContext();
  for (; scope; scope = scope->getParent()) {
    if (!scope->isNamespace() && !scope->isTranslationUnit()) continue;
    for (const auto* found : scope->lookup(identifier)) {
      if (const auto* function = llvm::dyn_cast<clang::FunctionDecl>(found)) {
        if (takes_record(function, record)) return true;
      }
      if (llvm::isa<clang::FunctionTemplateDecl>(found)) return true;
    }
    break;  // ADL looks in the innermost enclosing namespace only
  }
  return false;
}

bool has_adl_serializer(const clang::CXXRecordDecl* record) {
  // Specializations of nlohmann::adl_serializer<T> are recorded on the template.
  auto& context = record->getASTContext();
  auto lookup_namespace = [&](const clang::DeclContext* in, llvm::StringRef name) -> const clang::DeclContext* {
    for (const auto* found : in->lookup(clang::DeclarationName(&context.Idents.get(name)))) {
      if (const auto* space = llvm::dyn_cast<clang::NamespaceDecl>(found)) return space;
    }
    return nullptr;
  };
  const auto* nlohmann = lookup_namespace(context.getTranslationUnitDecl(), "nlohmann");
  if (!nlohmann) return false;
  std::vector<const clang::DeclContext*> scopes = {nlohmann};
  // nlohmann 3.11 puts it in an inline namespace (json_abi_v3_11_x).
  for (const auto* decl : nlohmann->decls()) {
    if (const auto* space = llvm::dyn_cast<clang::NamespaceDecl>(decl); space && space->isInline())
      scopes.push_back(space);
  }
  for (const auto* scope : scopes) {
    for (const auto* found : scope->lookup(clang::DeclarationName(&context.Idents.get("adl_serializer")))) {
      const auto* pattern = llvm::dyn_cast<clang::ClassTemplateDecl>(found);
      if (!pattern) continue;
      for (const auto* specialization : pattern->specializations()) {
        if (specialization->getSpecializationKind() != clang::TSK_ExplicitSpecialization) continue;
        const auto& arguments = specialization->getTemplateArgs();
        if (arguments.size() == 0 || arguments[0].getKind() != clang::TemplateArgument::Type) continue;
        const auto* argument = arguments[0].getAsType()->getAsCXXRecordDecl();
        if (argument && argument->getCanonicalDecl() == record->getCanonicalDecl()) return true;
      }
    }
  }
  return false;
}

std::string check(clang::QualType type, clang::ASTContext& context, int depth) {
  type = type.getNonReferenceType().getCanonicalType().getUnqualifiedType();
  std::string spelled = type.getAsString(context.getPrintingPolicy());
  if (depth > 16) return "";
  if (type->isVoidType() || type->isArithmeticType() || type->isEnumeralType() || type->isNullPtrType())
    return "";
  if (type->isPointerType() || type->isMemberPointerType() || type->isFunctionType()) return spelled;
  if (const auto* array = context.getAsConstantArrayType(type)) {
    return check(array->getElementType(), context, depth + 1);
  }
  const auto* record = type->getAsCXXRecordDecl();
  if (!record) return type->isDependentType() ? "" : spelled;
  std::string name = qualified_name_of(record);
  if (name.rfind("nlohmann::", 0) == 0) return "";  // json, ordered_json
  if (const auto* specialization = llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(record)) {
    std::string pattern = qualified_name_of(specialization->getSpecializedTemplate());
    if (kStandardTemplates.count(pattern)) {
      if (pattern == "std::basic_string") return "";
      for (const auto& argument : specialization->getTemplateArgs().asArray()) {
        if (argument.getKind() != clang::TemplateArgument::Type) continue;
        auto argument_type = argument.getAsType();
        // Allocators, comparators and hashers are not data.
        if (const auto* part = argument_type->getAsCXXRecordDecl()) {
          std::string part_name = qualified_name_of(part);
          if (part_name == "std::allocator" || part_name == "std::less" || part_name == "std::hash" ||
              part_name == "std::equal_to" || part_name == "std::char_traits")
            continue;
        }
        auto problem = check(argument_type, context, depth + 1);
        if (!problem.empty()) return problem;
      }
      return "";
    }
  }
  if (has_adl_function(record, "to_json") && has_adl_function(record, "from_json")) return "";
  if (has_adl_serializer(record)) return "";
  return spelled;
}

}  // namespace

std::string non_serializable_part(clang::QualType type, clang::ASTContext& context) {
  return check(type, context, 0);
}

}  // namespace workflow::compiler
