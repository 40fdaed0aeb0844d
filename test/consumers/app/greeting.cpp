#include "greeting.hpp"

std::string greet(const std::string& name) { return "hello " + name; }

std::string greet_twice(std::string name) {
  return greet(name) + ", " + greet(name + " again");
}
