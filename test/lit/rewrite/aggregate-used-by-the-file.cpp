// A file that serializes a plain aggregate itself (starts a run with it, reads a result) does not
// compile as written: the conversions are wfc's to write. wfc parses it a second time with them
// in place, so the file still gets its conversions and its rewrite, and an error of the user's own
// is reported once, at its original line.
// RUN: %wfc --root %S %s -o %t.cpp --manifest %t.json -- %flags 2>&1 | count 0
// RUN: FileCheck %s --input-file %t.cpp
// RUN: FileCheck %s --check-prefix=MANIFEST --input-file %t.json
// RUN: %gxx -fsyntax-only %t.cpp
// RUN: %clangxx -fsyntax-only %t.cpp
// RUN: not %wfc --root %S %s -o %t.bad.cpp -- %flags -DUSER_ERROR 2>&1 | FileCheck %s --check-prefix=USER
#include <workflow/workflow.hpp>
#include <string>

struct Parcel {
  std::string to;
  int grams = 0;
};
// CHECK: inline void to_json(::nlohmann::json& json, const ::Parcel& value) {

[[workflow::step]] int weigh(const Parcel& parcel);
[[workflow::workflow]] Parcel ship(Parcel parcel) {
  parcel.grams = weigh(parcel);
// CHECK: parcel.grams = ::workflow::detail::step_call<&::weigh>("step//./aggregate-used-by-the-file//weigh")(parcel);
  return parcel;
}

std::string describe(const Parcel& parcel) { return nlohmann::json(parcel).dump(); }

int main() {
  auto run = workflow::start(ship, Parcel{"Ann", 0});
  Parcel shipped = run.return_value();
#ifdef USER_ERROR
  undeclared_thing(shipped);
// USER: aggregate-used-by-the-file.cpp:[[@LINE-1]]:3: error: use of undeclared identifier 'undeclared_thing'
// USER-NOT: error:
#endif
  return describe(shipped).empty() ? 1 : 0;
}
// MANIFEST: "generated_serializers": [
// MANIFEST-NEXT: "Parcel"
