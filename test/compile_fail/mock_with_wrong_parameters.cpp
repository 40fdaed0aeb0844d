// Must not compile: a mock has to take the step's parameters.
#include <workflow/testing.hpp>

#include <string>

std::string charge_card(const std::string& order_id) { return "ch_" + order_id; }

int main() {
  workflow::testing::TestEnvironment env;
  env.mock(charge_card, [](int cents) { return std::to_string(cents); });
}
