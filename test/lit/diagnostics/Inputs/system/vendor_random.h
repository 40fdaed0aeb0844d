// A third-party header found through -isystem: wfc does not look into its functions. Used by
// nondeterministic-call-in-helper.cpp.
#pragma once
#include <cstdlib>

inline int vendor_roll() { return rand(); }
