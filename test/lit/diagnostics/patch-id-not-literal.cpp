// The change ID of workflow::patched and workflow::deprecate_patch is recorded in the journal: it
// must be a string literal at the call. A macro that expands to one is still a literal; a variable,
// even a constexpr one, is not.
// RUN: not %wfc --root %S %s -o %t.cpp -- %flags 2>&1 | FileCheck %s --implicit-check-not=error:
#include <workflow/workflow.hpp>
#include <string>
#include <string_view>
using namespace std::literals;
#define FRAUD_CHECK "fraud-check"
#define SAME(x) x
constexpr std::string_view kChangeId = "shared-constant";
[[workflow::step]] int charge(int cents);

[[workflow::workflow]] int order(int cents, std::string change) {
  if (workflow::patched(change)) cents += 1;
// CHECK: patch-id-not-literal.cpp:[[@LINE-1]]:25: error: the change ID of workflow::patched in workflow 'order' is not a string literal [patch-id-not-literal]
// CHECK: note: hint: write the ID itself, as in workflow::patched("fraud-check"): it is recorded in the journal and must not depend on data (a macro that expands to a string literal is fine; a variable, even a constexpr one, is not)
  if (workflow::patched(kChangeId)) cents += 2;
// CHECK: patch-id-not-literal.cpp:[[@LINE-1]]:25: error: the change ID of workflow::patched in workflow 'order' is not a string literal
  workflow::deprecate_patch(change + "-v2");
// CHECK: patch-id-not-literal.cpp:[[@LINE-1]]:29: error: the change ID of workflow::deprecate_patch in workflow 'order' is not a string literal
  if (workflow::patched(SAME(change))) cents += 3;
// CHECK: patch-id-not-literal.cpp:[[@LINE-1]]:25: error: the change ID of workflow::patched
  if (workflow::patched(cents > 10 ? "big" : "small")) cents += 4;
// CHECK: patch-id-not-literal.cpp:[[@LINE-1]]:25: error: the change ID of workflow::patched
  if (workflow::patched(std::string_view("abc", 2))) cents += 10;
// CHECK: patch-id-not-literal.cpp:[[@LINE-1]]:25: error: the change ID of workflow::patched
  auto branch = [&](int extra) { return workflow::patched(std::to_string(extra)) ? charge(cents) : 0; };
// CHECK: patch-id-not-literal.cpp:[[@LINE-1]]:59: error: the change ID of workflow::patched in workflow 'order' is not a string literal
  auto generic = [](auto id) { return workflow::patched(id); };
// CHECK: patch-id-not-literal.cpp:[[@LINE-1]]:57: error: the change ID of workflow::patched in workflow 'order' is not a string literal
  // Literals, however spelled.
  if (workflow::patched("literal")) cents += 5;
  if (workflow::patched(FRAUD_CHECK)) cents += 6;
  if (workflow::patched("with-sv"sv)) cents += 7;
  if (workflow::patched(std::string_view("explicit"))) cents += 8;
  if (workflow::patched(("parenthesized"))) cents += 9;
  workflow::deprecate_patch(SAME("through-a-macro"));
  return branch(cents) + generic(std::string_view("x"));
}
