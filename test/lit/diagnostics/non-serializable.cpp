// Parameters and results must serialize through nlohmann_json.
// RUN: not %wfc --root %S %s -o %t.cpp -- %flags 2>&1 | FileCheck %s
#include <workflow/workflow.hpp>
#include <map>
#include <vector>

// Not an aggregate (a constructor of its own), so wfc does not write its conversions.
struct Socket {
  explicit Socket(int descriptor) : fd(descriptor) {}
  int fd;
};
struct Order { std::string id; };
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Order, id)
struct Intrusive {
  int x;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(Intrusive, x)
};

[[workflow::step]] int send_on(Socket socket);
// CHECK: non-serializable.cpp:[[@LINE-1]]:39: error: parameter 'socket' of step 'send_on' has type 'Socket', which is not serializable [non-serializable]
// CHECK: note: hint: give 'Socket' to_json/from_json functions, e.g. NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Socket, field1, field2)
[[workflow::step]] std::vector<Socket> open_all(int count);
// CHECK: non-serializable.cpp:[[@LINE-1]]:40: error: the result of step 'open_all' has type 'std::vector<Socket>', which is not serializable ('Socket' is not) [non-serializable]
[[workflow::workflow]] int bad_map(std::map<std::string, std::vector<Socket>> sockets);
// CHECK: non-serializable.cpp:[[@LINE-1]]:79: error: parameter 'sockets' of workflow 'bad_map'
// These are fine: no diagnostic.
[[workflow::step]] std::map<std::string, std::vector<Order>> good(const Order& order, Intrusive i, std::optional<int> o);
// CHECK-NOT: error:
