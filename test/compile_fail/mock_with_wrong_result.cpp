// Must not compile: a mock has to return the step's result type (or what converts to it).
#include <workflow/testing.hpp>

#include <string>

std::string charge_card(const std::string& order_id) { return "ch_" + order_id; }

int main() {
  workflow::testing::TestEnvironment env;
  env.mock(charge_card, [](const std::string&) { return 42; });
}
