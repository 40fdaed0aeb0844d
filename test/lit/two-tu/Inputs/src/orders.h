// A step declared (and tagged) in a header, defined in orders.cpp, called from flows.cpp.
#pragma once
namespace shop {
[[workflow::step]] int charge(int cents);
}
