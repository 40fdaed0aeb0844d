// Only step calls inside workflow bodies are rewritten: a step called from ordinary code or from
// another step stays a plain call.
// RUN: %wfc --root %S %s -o %t.cpp -- %flags
// RUN: FileCheck %s --input-file %t.cpp
#include <workflow/workflow.hpp>

[[workflow::step]] int base(int x) { return x; }
[[workflow::step]] int composite(int x) { return base(x) + 1; }
// CHECK: {{^\[\[}}workflow::step]] int composite(int x) { return base(x) + 1; }
int ordinary(int x) { return base(x) * 2; }
// CHECK: {{^ *}}int ordinary(int x) { return base(x) * 2; }
