// The stable ID format (DESIGN §2), in one place: `<kind>//./<path>//<qualified-name>`.
//
// <path> is the file of the first declaration carrying the attribute, relative to the project
// root, '/'-separated, without its extension, so `orders.h` and `orders.cpp` agree. An explicit
// ID (`[[workflow::step("charge-v1")]]`) replaces the whole ID. Specified in docs/stable-ids.md.
#pragma once

#include <string>
#include <string_view>

namespace workflow::compiler {

enum class EntityKind { workflow, step };

/// `workflow` or `step`: the attribute name and the ID's first component.
std::string_view kind_name(EntityKind kind);

/// The <path> component: `file` relative to `root` (both absolute or both relative to the same
/// directory), lexically normalized, '/'-separated, extension removed. A file outside the root
/// keeps its `..` components, so the ID is still deterministic.
std::string id_path(std::string_view file, std::string_view root);

/// The full derived ID: `step//./src/orders//shop::charge_card`.
std::string derived_id(EntityKind kind, std::string_view path, std::string_view qualified_name);

/// The ID of an entity: the explicit one when given, else the derived one.
std::string stable_id(EntityKind kind, std::string_view explicit_id, std::string_view file,
                      std::string_view root, std::string_view qualified_name);

}  // namespace workflow::compiler
