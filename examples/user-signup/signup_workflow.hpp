// The signup workflow: a welcome mail, a day's wait, a follow-up mail.
#pragma once

#include <workflow/workflow.hpp>

#include <string>

namespace signup {

[[workflow::step]] std::string send_welcome_mail(const std::string& email);
[[workflow::step]] bool has_logged_in(const std::string& email);
[[workflow::step]] std::string send_follow_up_mail(const std::string& email, bool active);

/// `follow_up_after_ms` is an argument, not read inside the workflow: configuration read in a
/// workflow body (getenv) would differ on replay; arguments are journaled with the run.
[[workflow::workflow]] std::string onboard_user(std::string email, long long follow_up_after_ms);

}  // namespace signup
