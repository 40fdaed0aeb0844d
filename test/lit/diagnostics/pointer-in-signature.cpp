// Pointers mean nothing in another process: not journaled.
// RUN: not %wfc --root %S %s -o %t.cpp -- %flags 2>&1 | FileCheck %s
[[workflow::step]] int length(const char* text);
// CHECK: pointer-in-signature.cpp:[[@LINE-1]]:43: error: parameter 'text' of step 'length' is a pointer ('const char *'), which cannot be journaled: it means nothing in another process [pointer-in-signature]
// CHECK: note: hint: pass the value itself (std::string instead of const char*, a struct instead of a pointer to it)
[[workflow::workflow]] int* make();
// CHECK: pointer-in-signature.cpp:[[@LINE-1]]:29: error: the result of workflow 'make' is a pointer ('int *')
