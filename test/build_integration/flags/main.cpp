#include "features.hpp"
#include "flows.hpp"

#include <cstdio>
#include <filesystem>

int main() {
  std::filesystem::remove("app.db");
  std::filesystem::remove("app.db-wal");
  workflow::configure({.database = "app.db"});
  std::printf("%s|%s\n", VERSION_STRING, GREETING);
  std::printf("flags_workflow: %d\n", workflow::start(flags_workflow, 1).return_value());
  std::printf("tripled: %d\n", workflow::start(tripled, 5).return_value());
}
