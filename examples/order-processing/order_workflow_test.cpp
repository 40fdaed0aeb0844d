// Tests of the order workflow with workflow-cpp's test toolkit (docs/testing.md): the two-day
// approval window, the cooling-off hour and the carrier's retries take no wall time, and the
// payment provider is a mock.
#include "order_workflow.hpp"

#include <workflow/testing.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using workflow::testing::TestEnvironment;

shop::Order lamp_order() { return shop::Order{"T-1", "tess@example.com", 4200, {"lamp"}}; }

TEST(OrderWorkflow, ApprovedOrderShipsAfterTheCarrierRetries) {
  TestEnvironment env;
  env.mock(shop::charge_card, [](const shop::Order& order) { return "ch_test_" + order.id; });
  auto run = env.start(shop::process_order, lamp_order());
  env.send_event(run, "approval", std::string("carol"));  // kept until the workflow waits for it

  shop::Receipt receipt = env.result(run);
  EXPECT_EQ(receipt.charge, "ch_test_T-1");
  EXPECT_EQ(receipt.reservation, "rsv_T-1");
  EXPECT_EQ(receipt.coupon, "none");  // the coupon step's FatalError is caught by the workflow
  EXPECT_EQ(receipt.approved_by, "carol");
  EXPECT_EQ(receipt.shipment, "shp_T-1");
  EXPECT_EQ(env.attempts(shop::apply_coupon, run), 1);  // fatal: not retried
  EXPECT_EQ(env.attempts(shop::book_carrier, run), 3);  // the real carrier fails twice
  EXPECT_EQ(env.calls_of(shop::book_carrier, run).at(0).errors().size(), 2u);
}

TEST(OrderWorkflow, UnapprovedOrderFailsAfterTwoDays) {
  TestEnvironment env;
  auto started_at = env.now();
  auto run = env.start(shop::process_order, lamp_order());
  try {
    env.result(run);
    FAIL() << "an order nobody approved completed";
  } catch (const workflow::RunFailedError& error) {
    EXPECT_THAT(error.cause(), HasSubstr("no event 'approval' arrived"));
  }
  EXPECT_GE(env.now() - started_at, 48h);
  EXPECT_TRUE(env.calls_of(shop::book_carrier, run).empty());
}

TEST(OrderWorkflow, DeclinedCardFailsTheOrderBeforeAnythingIsReserved) {
  TestEnvironment env;
  env.mock(shop::charge_card, [](const shop::Order&) -> std::string { throw workflow::FatalError("card declined"); });
  auto run = env.start(shop::process_order, lamp_order());
  EXPECT_THROW(env.result(run), workflow::RunFailedError);
  EXPECT_TRUE(env.calls_of(shop::reserve_stock, run).empty());
}

TEST(OrderWorkflow, CoolingOffHourPassesOnTheVirtualClock) {
  TestEnvironment env;
  auto run = env.start(shop::process_order, lamp_order());
  env.send_event(run, "approval", std::string("dave"));
  env.advance(30min);
  EXPECT_EQ(run.status(), workflow::RunStatus::waiting);  // in the cooling-off sleep
  EXPECT_TRUE(env.calls_of(shop::book_carrier, run).empty());
  EXPECT_EQ(env.result(run).shipment, "shp_T-1");
}

}  // namespace
