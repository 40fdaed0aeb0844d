// How the test toolkit names a function in its errors, from the function's address alone.
#pragma once

#include <string>
#include <typeinfo>

namespace workflow::testing::detail {

/// `shop::charge_card(shop::Order const&)` when the symbol table knows the function, else
/// `a function of type std::string (shop::Order const&)`.
std::string describe_function(const void* address, const std::type_info& type);

}  // namespace workflow::testing::detail
