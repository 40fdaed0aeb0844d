// One function is a workflow or a step, not both; redeclarations agree on an explicit ID.
// RUN: not %wfc --root %S %s -o %t.cpp -- %flags 2>&1 | FileCheck %s
[[workflow::step]] int both(int x);
[[workflow::workflow]] int both(int x);
// CHECK: conflicting-attributes.cpp:[[@LINE-1]]:3: error: 'both' is declared both a workflow and a step [conflicting-attributes]
// CHECK: conflicting-attributes.cpp:[[@LINE-3]]:3: note: first declared here
[[workflow::step("a")]] int renamed(int x);
[[workflow::step("b")]] int renamed(int x);
// CHECK: conflicting-attributes.cpp:[[@LINE-1]]:3: error: 'renamed' is given the ID 'b' here but 'a' before [conflicting-ids]
