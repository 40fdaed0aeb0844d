// Each check fails wfc's parse (and the compile) when a flag of the target is lost or garbled.
#include "flows.hpp"

#include <noisy.hpp>   // SYSTEM: its warning must not become an error
#include <vendor.hpp>  // SYSTEM (imported target)
#include <string_view>
#include <utility>

// Definitions with quotes, spaces, backslashes, `$`, parentheses.
static_assert(std::string_view(VERSION_STRING) == "1.2.3");
static_assert(std::string_view(GREETING) == "hello world");
static_assert(std::string_view(WINDOWS_PATH) == "C:\\temp\\new");
static_assert(std::string_view(PRICE) == "$5 (net)");
static_assert(std::string_view(QUOTE) == "it's");
static_assert(SUM == 3);
#ifndef FLAG_ONLY
#error "FLAG_ONLY is not defined"
#endif
// Compile options: a definition with `#` and `$`, and a forced include.
static_assert(std::string_view(FROM_OPTIONS) == "a#b$c");
static_assert(prelude_answer == 42);
// CXX_STANDARD 23.
#if __cplusplus <= 202002L
#error "flows.cpp is not parsed as C++23"
#endif

int add_constants(int x) {
  if (x < 0) std::unreachable();  // C++23
  return x + prelude_answer + noisy_value() + vendor_value();
}

int flags_workflow(int x) { return add_constants(x); }
