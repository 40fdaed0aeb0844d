// A plain aggregate struct in a signature needs no macro: wfc writes to_json/from_json for it
// (and for the aggregates inside it) in its namespace, after its definition or after the
// #include that brings it in, keeping every original line in place.
// RUN: %wfc --root %S %s -o %t.cpp --manifest %t.json -- %flags -I%S/Inputs
// RUN: FileCheck %s --input-file %t.cpp
// RUN: FileCheck %s --check-prefix=MANIFEST --input-file %t.json
// RUN: %gxx -fsyntax-only -I%S/Inputs %t.cpp
// RUN: %clangxx -fsyntax-only -I%S/Inputs %t.cpp
// RUN: not %wfc --root %S %s -o %t.bad.cpp -- %flags -I%S/Inputs -DBAD_MEMBER 2>&1 | FileCheck %s --check-prefix=BAD
#include <workflow/workflow.hpp>
#include "shipping.hpp"
// CHECK: #include "shipping.hpp"
// CHECK-NEXT: #line [[@LINE-2]] "{{.*}}aggregate-serializers.cpp"
// CHECK-NEXT: namespace shipping {
// CHECK-NEXT: // JSON conversions written by wfc for the aggregate shipping::Address.
// CHECK-NEXT: inline void to_json(::nlohmann::json& json, const ::shipping::Address& value) {
// CHECK: inline void from_json(const ::nlohmann::json& json, ::shipping::Address& value) {
// CHECK-NEXT: if (auto found = json.find("street"); found != json.end()) found->get_to(value.street);
// CHECK-NEXT: if (auto found = json.find("city"); found != json.end()) found->get_to(value.city);
// CHECK-NEXT: {{^}}}{{$}}
// CHECK-NEXT: {{^}}}{{$}}
// CHECK-NEXT: #line [[@LINE-10]] "{{.*}}aggregate-serializers.cpp"
#include <optional>
#include <vector>

namespace shop {
struct Item {
  std::string sku;
  int quantity = 1;
  unsigned gift : 1;
};
// CHECK: {{^}}};
// CHECK-NEXT: #line [[@LINE-2]] "{{.*}}aggregate-serializers.cpp"
// CHECK-NEXT: // JSON conversions written by wfc for the aggregate shop::Item.
// CHECK-NEXT: inline void to_json(::nlohmann::json& json, const ::shop::Item& value) {
// CHECK-NEXT:   json = ::nlohmann::json::object();
// CHECK-NEXT:   json["sku"] = value.sku;
// CHECK-NEXT:   json["quantity"] = value.quantity;
// CHECK-NEXT:   json["gift"] = value.gift;
// CHECK-NEXT: }
// CHECK-NEXT: inline void from_json(const ::nlohmann::json& json, ::shop::Item& value) {
// CHECK-NEXT:   if (auto found = json.find("sku"); found != json.end()) found->get_to(value.sku);
// CHECK-NEXT:   if (auto found = json.find("quantity"); found != json.end()) found->get_to(value.quantity);
// CHECK-NEXT:   if (auto found = json.find("gift"); found != json.end()) value.gift = found->get<decltype(value.gift)>();
// CHECK-NEXT: }
// CHECK-NEXT: #line [[@LINE-14]] "{{.*}}aggregate-serializers.cpp"

struct Order {
  std::string id;
  std::vector<Item> items;
  std::optional<shipping::Address> ship_to;
  struct Note {
    std::string text;
  } note;
  std::vector<Order> follow_ups;  // refers to itself
};

struct Handle {
  Handle() = default;
  explicit Handle(int descriptor) : fd(descriptor) {}  // not an aggregate: the user writes its conversions
  int fd = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Handle, fd)

[[workflow::step]] std::vector<Item> pick(const Order& order, Handle handle);
[[workflow::workflow]] int fulfil(Order order) { return static_cast<int>(pick(order, Handle(3)).size()); }

#ifdef BAD_MEMBER
struct Socket {
  std::string host;
  int* descriptor;
};
// BAD: aggregate-serializers.cpp:[[@LINE+1]]:39: error: parameter 'socket' of step 'shop::connect' has type 'Socket', which is not serializable ('int *' is not) [non-serializable]
[[workflow::step]] int connect(Socket socket);
// BAD: aggregate-serializers.cpp:[[@LINE-4]]:8: note: member 'descriptor' of 'shop::Socket' has type 'int *'; wfc writes JSON conversions for a plain struct only when every member serializes
#endif
}  // namespace shop
// MANIFEST: "generated_serializers": [
// MANIFEST-NEXT: "shop::Item",
// MANIFEST-NEXT: "shipping::Address",
// MANIFEST-NEXT: "shop::Order::Note",
// MANIFEST-NEXT: "shop::Order"
