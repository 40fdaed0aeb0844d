// The order workflow and its steps.
#pragma once

#include <workflow/workflow.hpp>

#include <string>
#include <vector>

namespace shop {

// Plain structs: wfc writes their JSON conversions (docs/compiler.md, "Generated JSON
// conversions") in every file compiled through target_workflow_sources.
struct Order {
  std::string id;
  std::string email;
  int cents = 0;
  std::vector<std::string> items;
};

struct Receipt {
  std::string order_id;
  std::string charge;
  std::string reservation;
  std::string coupon;
  std::string approved_by;
  std::string shipment;
};

[[workflow::step]] std::string charge_card(const Order& order);
[[workflow::step]] std::string reserve_stock(const Order& order);
/// The carrier's API is flaky: the first two attempts fail and are retried.
[[workflow::step]] std::string book_carrier(const std::string& order_id);
/// Always refuses: a FatalError, which is not retried.
[[workflow::step]] std::string apply_coupon(const std::string& order_id, const std::string& code);

[[workflow::workflow]] Receipt process_order(Order order);

}  // namespace shop

// Retry the carrier quickly (the default is 3 retries after 1 s, 2 s, 4 s).
WORKFLOW_STEP_OPTIONS(shop::book_carrier, {.max_retries = 5, .initial_delay = std::chrono::milliseconds(100)});
