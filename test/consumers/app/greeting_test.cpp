// The consumer tests' use of the test toolkit (Workflow::testing): the step mocked, the workflow
// run in a TestEnvironment, without any test framework.
#include "greeting.hpp"

#include <workflow/testing.hpp>

#include <cstdio>

int main() {
  workflow::testing::TestEnvironment env;
  env.mock(greet, [](const std::string& name) { return "hi " + name; });
  auto run = env.start(greet_twice, std::string("tester"));
  std::string greeting = env.result(run);
  std::printf("%s (mocked %d times)\n", greeting.c_str(), env.attempts(greet, run));
}
