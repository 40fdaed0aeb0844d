// A non-const reference parameter or result would silently lose changes on replay.
// RUN: not %wfc --root %S %s -o %t.cpp -- %flags 2>&1 | FileCheck %s
#include <string>
[[workflow::step]] void append(std::string& log);
// CHECK: mutable-reference.cpp:[[@LINE-1]]:45: error: parameter 'log' of step 'append' is a non-const reference ('std::string &'); changes to it would be lost, because on replay the value comes from the journal [mutable-reference]
// CHECK: note: hint: take it by value or by const reference, and return what changes
[[workflow::step]] std::string& current();
// CHECK: mutable-reference.cpp:[[@LINE-1]]:33: error: the result of step 'current' is a non-const reference
[[workflow::step]] void fine(const std::string& log, std::string copy);
// CHECK-NOT: error:
