// User signup: starts the onboarding of two users and waits for both. The wait between the two
// mails is a day unless SIGNUP_FOLLOW_UP_SECONDS says otherwise (the tests use 1 second).
#include "signup_workflow.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

int main() try {
  long long seconds = 24 * 60 * 60;
  if (const char* configured = std::getenv("SIGNUP_FOLLOW_UP_SECONDS")) seconds = std::atoll(configured);
  std::filesystem::remove("user-signup.db");
  std::filesystem::remove("user-signup.db-wal");
  workflow::configure({.database = "user-signup.db"});

  std::printf("onboarding two users; follow-up mails after %lld s\n", seconds);
  auto first = workflow::start(signup::onboard_user, std::string("ann.active@example.com"), seconds * 1000);
  auto second = workflow::start(signup::onboard_user, std::string("bob@example.com"), seconds * 1000);
  std::printf("  %s: %s\n", first.run_id().c_str(), first.return_value().c_str());
  std::printf("  %s: %s\n", second.run_id().c_str(), second.return_value().c_str());
  std::printf("user-signup: done\n");
  return 0;
} catch (const workflow::Error& error) {
  // An unusable journal (damaged, removed, locked past the busy timeout) is a message, not an abort.
  std::fprintf(stderr, "signup: %s\n", error.what());
  return 1;
}
