// wfc asks clang whether workflow::Serializable<T> holds, as the runtime's static_assert will:
// partial adl_serializer specializations, nlohmann's own conversions and class templates only
// declared in this file are judged as in the real compile, and no type crashes wfc.
// RUN: not %wfc --root %S %s -o %t.cpp -- %flags 2>&1 | FileCheck %s
#include <workflow/workflow.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <variant>

template <class T>
struct Box {
  T inside;
};
namespace nlohmann {
template <class T>
struct adl_serializer<Box<T>> {
  static void to_json(json& j, const Box<T>& box) { j = box.inside; }
  static void from_json(const json& j, Box<T>& box) { box.inside = j.get<T>(); }
};
}  // namespace nlohmann

// A class template whose instance this file never needs complete.
template <class T>
struct Page;

// Fine: no diagnostic for these.
[[workflow::step]] Box<int> boxed(Box<std::string> name);
[[workflow::step]] std::filesystem::path where(const std::filesystem::path& base);
[[workflow::step]] std::optional<std::variant<int, std::string>> choose(std::chrono::milliseconds delay);
[[workflow::step]] std::chrono::system_clock::time_point deadline(std::chrono::seconds after);
// CHECK-NOT: error: {{.*}}'{{boxed|where|choose|deadline}}'

[[workflow::step]] int take(std::unique_ptr<int> owned);
// CHECK: serializable-by-the-runtime.cpp:[[@LINE-1]]:50: error: parameter 'owned' of step 'take' has type 'std::unique_ptr<int>', which is not serializable [non-serializable]
[[workflow::step]] Page<int> list(int number);
// CHECK: serializable-by-the-runtime.cpp:[[@LINE-1]]:30: error: the result of step 'list' has type 'Page<int>', which is not serializable [non-serializable]
[[workflow::step]] int started(std::chrono::steady_clock::time_point at);
// CHECK: serializable-by-the-runtime.cpp:[[@LINE-1]]:70: error: parameter 'at' of step 'started' has type 'std::chrono::steady_clock::time_point', which is not serializable
[[workflow::step]] int wrapped(std::optional<std::unique_ptr<int>> maybe);
// CHECK: serializable-by-the-runtime.cpp:[[@LINE-1]]:68: error: parameter 'maybe' of step 'wrapped' has type 'std::optional<std::unique_ptr<int>>', which is not serializable ('std::unique_ptr<int>' is not) [non-serializable]
[[workflow::step]] std::string&& dangling(int x);
// CHECK: serializable-by-the-runtime.cpp:[[@LINE-1]]:34: error: the result of step 'dangling' is an rvalue reference ('std::string &&'); on replay there is no object for it to refer to [rvalue-reference-result]
