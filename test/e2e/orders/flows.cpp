// The e2e program's workflow: step calls with default arguments, in a loop, in a lambda, nested
// in an expression, parallel steps, progress streamed from steps and the body, a wait for an external event, a child workflow, a retried
// step and a fatal one caught at the call site.
#include "orders.h"

namespace shop {

std::string pack_parcel(std::string order_id, int items) { return seal_box(order_id, items); }

std::string fulfil_order(Order order) {
  std::vector<std::string> parts;
  parts.push_back(charge_card(order));
  parts.push_back(workflow::wait_for_event<std::string>("approval"));  // sent by the driver
  workflow::get_writable("progress").write(parts.back());  // from the body: replayed, never duplicated
  auto reserve = [&](const std::string& item) { parts.push_back(reserve_item(order.id, item)); };
  for (const auto& item : order.items) reserve(item);
  auto [wrap, card] = workflow::parallel([&] { return reserve_item(order.id, "gift-wrap"); },
                                         [&] { return reserve_item(order.id, "card"); });
  parts.push_back(wrap + "&" + card);
  parts.push_back(pack_parcel(order.id, static_cast<int>(order.items.size())));  // a child run
  parts.push_back(flaky_carrier(order.id));
  try {
    parts.push_back(refuse_coupon(order.id));
  } catch (const workflow::StepFailedError&) {
    parts.push_back("no-coupon");
  }
  auto summary = summarize(parts);
  workflow::get_writable("progress").write("summarized");
  return summary + "#" + std::to_string(parts.size());
}

}  // namespace shop
