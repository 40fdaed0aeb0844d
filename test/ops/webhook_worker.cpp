// The worker process of webhook_test.py: its one workflow creates a webhook, prints the URL (as
// a system that emails it would send it), waits for a POST and returns the body it received.
// The journal is WORKFLOW_DATABASE; the secret, for PostgreSQL, WORKFLOW_WEBHOOK_SECRET.
#include <workflow/workflow.hpp>

#include <cstdio>

namespace {

workflow::Json webhook_echo(int max_body_bytes) {
  ::workflow::detail::workflow_entry("workflow//./test/ops//webhook_echo");
  auto hook = workflow::create_webhook(
      {.single_use = true, .max_body_bytes = static_cast<std::size_t>(max_body_bytes)});
  // Printed on every execution (a replay prints the same URL): the test reads the first.
  std::printf("webhook %s %s\n", hook.run_id().c_str(), hook.url().c_str());
  std::fflush(stdout);
  return workflow::Json{{"received", hook.wait(std::chrono::minutes(5))}};
}

[[maybe_unused]] const bool registered =
    ::workflow::detail::register_workflow<&webhook_echo>("workflow//./test/ops//webhook_echo");

}  // namespace

int main() { return workflow::run_worker() >= 0 ? 0 : 1; }
