// A misspelt attribute would silently make a function non-durable: an error with a fix-it.
// RUN: not %wfc --root %S %s -o %t.cpp -- %flags 2>&1 | FileCheck %s
#include <workflow/workflow.hpp>
[[workflow::stepp]] int charge(int cents);
// CHECK: unknown-workflow-attribute.cpp:[[@LINE-1]]:13: error: unknown attribute 'workflow::stepp' [unknown-workflow-attribute]
// CHECK: note: hint: did you mean 'workflow::step'?
[[workflow::workflo]] int order(int cents);
// CHECK: unknown-workflow-attribute.cpp:[[@LINE-1]]:13: error: unknown attribute 'workflow::workflo'
// CHECK: note: hint: did you mean 'workflow::workflow'?
