// std::variant as step arguments and results, each alternative, and arguments converting to the
// variant. Its JSON form comes from the runtime (<workflow/standard_types.hpp>).
#include "differential.hpp"

#include <string>
#include <variant>

using Choice = std::variant<int, std::string>;

std::string show(const Choice& choice) {
  return choice.index() == 0 ? "int " + std::to_string(std::get<0>(choice)) : "string " + std::get<1>(choice);
}

[[workflow::step]] Choice flip(const Choice& choice) {
  std::printf("flip(%s)\n", show(choice).c_str());
  if (choice.index() == 0) return std::to_string(std::get<0>(choice));
  return static_cast<int>(std::get<1>(choice).size());
}

[[workflow::step]] std::size_t which(Choice choice) {
  std::printf("which(%s)\n", show(choice).c_str());
  return choice.index();
}

[[workflow::workflow]] std::string flow(int x) {
  std::string out = show(flip(x)) + " ";
  out += show(flip(std::string("four"))) + " ";
  out += std::to_string(which(Choice(std::in_place_index<1>, "s"))) + " ";
  out += std::to_string(which(x));
  differential::replay_point();
  return out;
}

DIFFERENTIAL_MAIN(flow, 6)
