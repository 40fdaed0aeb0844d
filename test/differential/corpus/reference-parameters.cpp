// How arguments bind: a `T&&` parameter (`consume(std::move(s))`), a `const std::string&`
// parameter given `std::move(s)` (nothing is moved: the caller's string must be intact
// afterwards), and `std::move` into a by-value parameter (the caller's string is moved from).
#include "differential.hpp"

#include <string>
#include <utility>

[[workflow::step]] std::size_t consume(std::string&& s) {
  std::string mine = std::move(s);
  std::printf("consume(%s)\n", mine.c_str());
  return mine.size();
}

[[workflow::step]] std::size_t inspect(const std::string& s) {
  std::printf("inspect(%s)\n", s.c_str());
  return s.size();
}

[[workflow::step]] std::string take(std::string s) {
  std::printf("take(%s)\n", s.c_str());
  return s + "!";
}

[[workflow::workflow]] std::string flow(std::string name) {
  std::string out;
  // The caller does not look at `first` after handing it to a T&& parameter (a moved-from
  // object's value is not a behaviour this test pins).
  std::string first = name + "-rvalue";
  out += std::to_string(consume(std::move(first))) + " ";
  out += std::to_string(consume(name + "-temporary")) + " ";
  std::string second = name + "-const-ref";
  out += std::to_string(inspect(std::move(second))) + " ";
  out += "after inspect: '" + second + "' ";
  std::string third = name + "-by-value";
  out += take(std::move(third)) + " ";
  out += "after take: empty=" + std::string(third.empty() ? "yes" : "no") + " ";
  std::string fourth = name + "-copied";
  out += take(fourth) + " ";
  out += "after copy: '" + fourth + "'";
  differential::replay_point();
  return out;
}

DIFFERENTIAL_MAIN(flow, std::string("abc"))
