// Function names for the toolkit's errors: the dynamic symbol table when the function is in it
// (shared libraries, executables linked with -rdynamic), else the function's type.
#include "testing/function_names.hpp"

#include <cxxabi.h>
#include <dlfcn.h>

#include <cstdlib>
#include <memory>

namespace workflow::testing::detail {
namespace {

// As a user spells it: `std::string`, not the library's full name of it.
std::string demangled(const char* name) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> readable(abi::__cxa_demangle(name, nullptr, nullptr, &status), std::free);
  std::string text = status == 0 && readable ? readable.get() : name;
  const std::string library_string = "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >";
  for (auto at = text.find(library_string); at != std::string::npos; at = text.find(library_string, at))
    text.replace(at, library_string.size(), "std::string");
  return text;
}

}  // namespace

std::string describe_function(const void* address, const std::type_info& type) {
  Dl_info info{};
  if (dladdr(address, &info) != 0 && info.dli_sname && info.dli_saddr == address)
    return "'" + demangled(info.dli_sname) + "'";
  return "a function of type '" + demangled(type.name()) + "'";
}

}  // namespace workflow::testing::detail
