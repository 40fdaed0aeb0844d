// The signup workflow, compiled through wfc.
#include "signup_workflow.hpp"

#include <cstdio>

namespace signup {

std::string send_welcome_mail(const std::string& email) {
  std::printf("    mail to %s: Welcome aboard!\n", email.c_str());
  return "welcome-sent";
}

bool has_logged_in(const std::string& email) {
  bool active = email.find("active") != std::string::npos;  // a stand-in for a database query
  std::printf("    %s has %slogged in since\n", email.c_str(), active ? "" : "not ");
  return active;
}

std::string send_follow_up_mail(const std::string& email, bool active) {
  std::string text = active ? "Here are three tips for power users." : "Need a hand getting started?";
  std::printf("    mail to %s: %s\n", email.c_str(), text.c_str());
  return active ? "tips-sent" : "nudge-sent";
}

std::string onboard_user(std::string email, long long follow_up_after_ms) {
  std::string welcome = send_welcome_mail(email);
  workflow::sleep(std::chrono::milliseconds(follow_up_after_ms));  // a day, durably
  bool active = has_logged_in(email);
  return welcome + "," + send_follow_up_mail(email, active);
}

}  // namespace signup
