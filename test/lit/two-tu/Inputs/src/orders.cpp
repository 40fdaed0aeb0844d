#include "orders.h"
namespace shop {
int charge(int cents) { return cents + 1; }
}
