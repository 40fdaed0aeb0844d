// A helper defined inline in a project header (not a system header): checked like one in the
// source file. Used by nondeterministic-call-in-helper.cpp.
#pragma once
#include <ctime>

inline long seconds_now() { return static_cast<long>(time(nullptr)); }
