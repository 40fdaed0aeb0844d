// Parsed as C++23 only if the cxx_std_23 feature of a linked target reaches wfc.
#include "features.hpp"

#include <utility>

#if __cplusplus <= 202002L
#error "features.cpp is not parsed as C++23"
#endif

int triple(int x) {
  if (x < 0) std::unreachable();  // C++23
  return 3 * x;
}

int tripled(int x) { return triple(x); }
