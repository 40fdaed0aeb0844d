// Two overloads would get one derived ID: an error with a hint, never a silent collision.
// RUN: not %wfc --root %S %s -o %t.cpp -- %flags 2>&1 | FileCheck %s
// RUN: not test -e %t.cpp
[[workflow::step]] int charge(int cents);
[[workflow::step]] int charge(double cents);
// CHECK: id-collision.cpp:[[@LINE-1]]:24: error: overloads of 'charge' share the stable ID 'step//./id-collision//charge' [id-collision]
// CHECK: note: hint: give one of them an explicit ID, as in {{\[\[}}workflow::step("charge-v2")]]
// CHECK: id-collision.cpp:[[@LINE-4]]:24: note: the other one is declared here
[[workflow::step("charge-by-double")]] int charge_ok(double cents);
[[workflow::step("charge-by-double")]] int charge_ok(int cents);
// CHECK: id-collision.cpp:[[@LINE-1]]:44: error: overloads of 'charge_ok' share the stable ID 'charge-by-double' [id-collision]
