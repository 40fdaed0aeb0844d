// The fuzz targets' assertion: an invariant that does not hold is a crash libFuzzer keeps the
// input of, with the condition and its line on stderr. (assert() would vanish under NDEBUG.)
#pragma once

#include <cstdio>
#include <cstdlib>

#define WORKFLOW_FUZZ_CHECK(condition)                                                            \
  do {                                                                                            \
    if (!(condition)) {                                                                           \
      std::fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                               \
    }                                                                                             \
  } while (false)
