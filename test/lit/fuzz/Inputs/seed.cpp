// Seed for the fuzz test: every construct wfc handles, without heavy includes.
namespace std { template <class T> struct vector { T* data; }; }
namespace shop {
struct Order { int id; int cents; };
void to_json(int&, const Order&);
void from_json(const int&, Order&);
[[workflow::step]] int charge(const Order& order, int retries = 3);
[[workflow::step("audit-v1")]] int audit(int value);
struct Billing { [[workflow::step]] static int refund(int cents) { return -cents; } };
#define TWICE(x) ((x) + (x))
[[workflow::workflow]] int process(Order order) {
  int total = charge(order) + audit(charge(order, 1));
  auto later = [&](int v) { return audit(v) + Billing::refund(v); };
  try {
    total += later(total);
  } catch (...) {
    throw;
  }
  return TWICE(total);
}
int charge(const Order& order, int retries) { return order.cents * retries; }
int audit(int value) { return value; }
}  // namespace shop
