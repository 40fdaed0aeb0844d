// A default argument written over two lines, then code that records __LINE__: the journaled
// build must keep every line where it was.
#include "differential.hpp"

#include <string>

[[workflow::step]] int price(int base,
                             int tax = 1 +
                                       2) {
  std::printf("price(%d, %d)\n", base, tax);
  return base + tax;
}

[[workflow::step]] std::string label(const std::string& text = std::string("multi")
                                                                   + "-line") {
  std::printf("label(%s)\n", text.c_str());
  return text;
}

[[workflow::workflow]] std::string flow(int base) {
  std::string out;
  int a = price(base);
  out += std::to_string(a) + "@" + std::to_string(__LINE__) + " ";
  int b = price(base,
                5);
  out += std::to_string(b) + "@" + std::to_string(__LINE__) + " ";
  out += label() + "@" + std::to_string(__LINE__) + " ";
  out += std::to_string(price(label().size())) + "@" + std::to_string(__LINE__);
  differential::replay_point();
  return out + " end@" + std::to_string(__LINE__);
}

DIFFERENTIAL_MAIN(flow, 10)
