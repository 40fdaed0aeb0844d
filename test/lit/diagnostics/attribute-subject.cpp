// The attributes apply to functions only.
// RUN: not %wfc --root %S %s -o %t.cpp -- %flags 2>&1 | FileCheck %s
[[workflow::step]] int counter;
// CHECK: attribute-subject.cpp:[[@LINE-1]]:3: error: 'workflow::step' attribute only applies to functions
struct [[workflow::workflow]] Order {};
// CHECK: attribute-subject.cpp:[[@LINE-1]]:10: error: 'workflow::workflow' attribute only applies to functions
