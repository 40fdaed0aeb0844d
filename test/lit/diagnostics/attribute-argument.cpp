// The optional argument is one string literal ID.
// RUN: not %wfc --root %S %s -o %t.cpp -- %flags 2>&1 | FileCheck %s
[[workflow::step(42)]] int by_number(int x);
// CHECK: attribute-argument.cpp:[[@LINE-1]]:18: error: 'workflow::step' takes one optional argument, a string literal ID without spaces or escapes, as in {{\[\[}}workflow::step("charge-v1")]]
[[workflow::step("two words")]] int spaced(int x);
// CHECK: attribute-argument.cpp:[[@LINE-1]]:18: error: 'workflow::step' takes one optional argument
[[workflow::workflow("a", "b")]] int two(int x);
// CHECK: attribute-argument.cpp:[[@LINE-1]]:25: error: 'workflow::workflow' takes one optional argument
