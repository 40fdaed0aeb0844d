// The output starts with '#line 1 "<source>"' and keeps every line in place, so compiler errors
// in the rewritten file point at the user's file and line.
// RUN: %wfc --root %S %s -o %t.cpp -- %flags
// RUN: FileCheck %s --check-prefix=OUTPUT --input-file %t.cpp
// RUN: not %gxx -fsyntax-only -DBREAK %t.cpp 2>&1 | FileCheck %s --check-prefix=GXX
#include <workflow/workflow.hpp>
// OUTPUT: {{^ *}}#include <workflow/workflow.hpp>
// OUTPUT-NEXT: {{^ *}}#line 1 "{{.*}}line-directives.cpp"
// OUTPUT-NEXT: {{^ *}}// The output starts with

[[workflow::step]] int step_one(int x) { return x; }
[[workflow::workflow]] int flow(int x) {
  int y = step_one(x);
#ifdef BREAK
  return undeclared_name;
#endif
// GXX: line-directives.cpp:[[@LINE-2]]:10: error: 'undeclared_name' was not declared
  return y;
}
