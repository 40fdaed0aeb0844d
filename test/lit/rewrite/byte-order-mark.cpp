// A source saved with a UTF-8 byte order mark: the mark is dropped (the output starts with
// wfc's own lines), so it does not land after `#line 1` where compilers reject it.
// RUN: %wfc --root %S %s -o %t.cpp -- %flags
// RUN: FileCheck %s --input-file %t.cpp
// RUN: %gxx -fsyntax-only %t.cpp
// RUN: %clangxx -fsyntax-only %t.cpp
#include <workflow/workflow.hpp>

[[workflow::step]] int twice(int x) { return 2 * x; }
[[workflow::workflow]] int flow(int x) { return twice(x) + __LINE__; }
// CHECK: {{^}}#line 1 "{{.*}}byte-order-mark.cpp"
// CHECK-NEXT: {{^}}// A source saved with a UTF-8 byte order mark
