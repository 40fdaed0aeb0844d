// A project with its own adl_serializer<std::optional<T>> (nlohmann_json's README recipe) defines
// WORKFLOW_NO_OPTIONAL_SERIALIZER and keeps it: no redefinition, and wfc judges std::optional by
// the project's serializer.
// RUN: %wfc --root %S %s -o %t.cpp -- %flags -DWORKFLOW_NO_OPTIONAL_SERIALIZER
// RUN: FileCheck %s --input-file %t.cpp
// RUN: %gxx -fsyntax-only -DWORKFLOW_NO_OPTIONAL_SERIALIZER %t.cpp
// RUN: %clangxx -fsyntax-only -DWORKFLOW_NO_OPTIONAL_SERIALIZER %t.cpp
// RUN: not %gxx -fsyntax-only %t.cpp 2>&1 | FileCheck %s --check-prefix=CLASH
#include <workflow/workflow.hpp>
#include <optional>

namespace nlohmann {
template <class T>
struct adl_serializer<std::optional<T>> {
  static void to_json(json& j, const std::optional<T>& value) {
    if (value) j = *value; else j = nullptr;
  }
  static void from_json(const json& j, std::optional<T>& value) {
    if (j.is_null()) value.reset(); else value = j.get<T>();
  }
};
}  // namespace nlohmann
// CLASH: error: redefinition of 'struct nlohmann::{{.*}}adl_serializer<std::optional<

[[workflow::step]] std::optional<int> half(std::optional<int> value);
[[workflow::workflow]] int flow(int x) { return half(x).value_or(0); }
// CHECK: return ::workflow::detail::step_call<&::half>("step//./own-optional-serializer//half")(x).value_or(0);
