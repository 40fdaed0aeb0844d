// The order workflow: compiled through wfc (target_workflow_sources), so each step call below is
// journaled and a restarted process resumes the order where it stopped.
#include "order_workflow.hpp"

#include <cstdio>

namespace shop {
namespace {

void say(const std::string& what) {
  auto step = workflow::step_metadata();
  std::printf("    step %-14s attempt %d: %s\n", step.step_name.substr(step.step_name.rfind("//") + 2).c_str(),
              step.attempt, what.c_str());
  std::fflush(stdout);
}

}  // namespace

std::string charge_card(const Order& order) {
  say("charging " + std::to_string(order.cents) + " cents to " + order.email);
  return "ch_" + order.id;
}

std::string reserve_stock(const Order& order) {
  say("reserving " + std::to_string(order.items.size()) + " items");
  return "rsv_" + order.id;
}

std::string book_carrier(const std::string& order_id) {
  if (workflow::step_metadata().attempt < 3) {
    say("carrier API timed out");
    throw std::runtime_error("carrier API timed out");  // any exception is retried
  }
  say("carrier booked");
  return "shp_" + order_id;
}

std::string apply_coupon(const std::string& order_id, const std::string& code) {
  say("coupon " + code + " has expired");
  throw workflow::FatalError("coupon " + code + " expired (order " + order_id + ")");
}

Receipt process_order(Order order) {
  Receipt receipt;
  receipt.order_id = order.id;
  receipt.charge = charge_card(order);
  receipt.reservation = reserve_stock(order);
  try {
    receipt.coupon = apply_coupon(order.id, "SPRING");
  } catch (const workflow::StepFailedError& error) {
    receipt.coupon = "none";  // a step's final failure is an ordinary exception here
  }
  // A person approves every order: the run waits (durably, holding no thread) for the
  // "approval" event that Run::send_event delivers from any process; two days at most.
  receipt.approved_by = workflow::wait_for_event<std::string>("approval", std::chrono::hours(48));
  // Orders may be cancelled for an hour before they ship. The timer is durable and holds no
  // thread; Run::wake_up() ends it early, Run::cancel() ends the run.
  workflow::sleep(std::chrono::hours(1));
  receipt.shipment = book_carrier(order.id);
  return receipt;
}

}  // namespace shop
