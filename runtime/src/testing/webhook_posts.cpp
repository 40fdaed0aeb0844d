// TestEnvironment::post_webhook: a delivery to a webhook as `wf serve` makes it.
#include "testing/environment_state.hpp"

#include "engine/webhook_delivery.hpp"
#include "engine/webhook_token.hpp"

#include <stdexcept>

namespace workflow::testing {

bool TestEnvironment::post_webhook_json(const RunHandle& run, std::string_view url_or_token, const Json& body) {
  auto token = workflow::detail::webhook_token_of(url_or_token);
  if (!token) return false;
  auto& engine = *state_->engine;
  auto hook = workflow::detail::deliverable_webhook(*engine.store().read(), *token);
  if (!hook) return false;
  if (hook->run_id != run.run_id())
    throw std::logic_error("post_webhook: webhook " + hook->correlation_id + " belongs to run " + hook->run_id +
                           ", not to run " + run.run_id());
  auto size = body.dump().size();
  if (size > static_cast<std::size_t>(hook->max_body_bytes))
    throw std::invalid_argument("post_webhook: the body has " + std::to_string(size) + " bytes; webhook " +
                                hook->correlation_id + " of run " + hook->run_id + " accepts at most " +
                                std::to_string(hook->max_body_bytes) + " (wf serve answers 413)");
  return workflow::deliver_webhook(*token, body).has_value();
}

}  // namespace workflow::testing
