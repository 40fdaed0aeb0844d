// The e2e program's steps, declared (and tagged) here, defined in steps.cpp: the header gives
// every translation unit the same stable IDs.
#pragma once

#include <workflow/workflow.hpp>

#include <string>
#include <vector>

namespace shop {

struct Order {
  std::string id;
  std::vector<std::string> items;
  int cents = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Order, id, items, cents)

[[workflow::step]] std::string charge_card(const Order& order, std::string currency = "EUR");
[[workflow::step]] std::string reserve_item(const std::string& order_id, const std::string& item);
[[workflow::step]] std::string flaky_carrier(const std::string& order_id);
[[workflow::step]] std::string refuse_coupon(const std::string& order_id);
[[workflow::step]] std::string summarize(const std::vector<std::string>& parts);

[[workflow::step]] std::string seal_box(const std::string& order_id, int items);

/// Started by fulfil_order as a child run.
[[workflow::workflow]] std::string pack_parcel(std::string order_id, int items);
[[workflow::workflow]] std::string fulfil_order(Order order);

/// Where step bodies log each execution (one line: run, step, attempt), to count re-executions.
void set_execution_log(const std::string& path);

}  // namespace shop
