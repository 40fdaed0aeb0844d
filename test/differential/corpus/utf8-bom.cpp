// A source file that starts with a UTF-8 byte order mark (this line begins with one).
#include "differential.hpp"

#include <string>

[[workflow::step]] std::string greet(const std::string& who) {
  std::printf("greet(%s)\n", who.c_str());
  return "hello " + who;
}

[[workflow::workflow]] std::string flow(std::string who) {
  std::string first = greet(who);
  std::string second = greet("again");
  differential::replay_point();
  return first + ", " + second + " @" + std::to_string(__LINE__);
}

DIFFERENTIAL_MAIN(flow, std::string("bom"))
