#include "orders.h"
[[workflow::workflow]] int order(int cents) { return shop::charge(cents); }
