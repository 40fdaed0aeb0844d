// Where wfc's generated conversions go when the struct's header is included inside a namespace,
// and the aggregates it leaves to the user: a private nested struct (namespace-scope functions
// cannot name it) and a class template's specialization (its arguments may be defined later).
// RUN: %wfc --root %S %s -o %t.cpp -- %flags -I%S/Inputs
// RUN: FileCheck %s --input-file %t.cpp
// RUN: %gxx -fsyntax-only -I%S/Inputs %t.cpp
// RUN: %clangxx -fsyntax-only -I%S/Inputs %t.cpp
// RUN: not %wfc --root %S %s -o %t.bad.cpp -- %flags -I%S/Inputs -DLEFT_TO_THE_USER 2>&1 | FileCheck %s --check-prefix=USER
#include <workflow/workflow.hpp>

namespace app {
#include "in_namespace.hpp"
// CHECK: #include "in_namespace.hpp"
// CHECK-NEXT: #line
// CHECK-NEXT: namespace shop {
// CHECK-NEXT: // JSON conversions written by wfc for the aggregate app::shop::Crate.
// CHECK-NEXT: inline void to_json(::nlohmann::json& json, const ::app::shop::Crate& value) {

[[workflow::step]] int fill(shop::Crate crate);
[[workflow::workflow]] int pack(int slots) { return fill(shop::Crate{slots}); }

#ifdef LEFT_TO_THE_USER
class Api {
  struct Secret {
    int code = 0;
  };

 public:
  [[workflow::step]] static int open(Secret secret);
// USER: aggregate-edge-cases.cpp:[[@LINE-1]]:45: error: parameter 'secret' of step 'app::Api::open' has type 'Secret', which is not serializable [non-serializable]
};
template <class T>
struct Wrapper {
  T value;
};
struct Item {
  int quantity = 0;
};
[[workflow::step]] int count(Wrapper<Item> items);
// USER: aggregate-edge-cases.cpp:[[@LINE-1]]:44: error: parameter 'items' of step 'app::count' has type 'Wrapper<Item>', which is not serializable [non-serializable]
#endif
}  // namespace app
