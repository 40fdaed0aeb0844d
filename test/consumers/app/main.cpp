#include "greeting.hpp"
#include <cstdio>
#include <filesystem>

int main() {
  std::filesystem::remove("consumer.db");
  std::filesystem::remove("consumer.db-wal");
  workflow::configure({.database = "consumer.db"});
  auto run = workflow::start(greet_twice, std::string("consumer"));
  std::printf("%s\n", run.return_value().c_str());
  for (const auto& event : run.events()) {
    if (event.type == "step_completed") std::printf("journaled %s\n", event.step_name.c_str());
  }
}
