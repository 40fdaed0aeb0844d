// Step bodies of the e2e program. Each logs its execution durably when it starts, so the driver
// can count how often each step call ran, and takes long enough to be killed mid-body.
#include "orders.h"

#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <thread>
#include <unistd.h>

namespace shop {
namespace {

std::string execution_log;

// Logged when the body starts, so a body cut short by a kill still counts as an execution.
void log_execution(const std::string& step) {
  auto metadata = workflow::step_metadata();
  std::string line = metadata.run_id + " " + metadata.step_id + " " + step + "\n";
  int fd = ::open(execution_log.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return;
  [[maybe_unused]] auto written = ::write(fd, line.data(), line.size());
  ::fsync(fd);
  ::close(fd);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

}  // namespace

void set_execution_log(const std::string& path) { execution_log = path; }

std::string charge_card(const Order& order, std::string currency) {
  log_execution("charge_card");
  return "ch_" + order.id + "_" + std::to_string(order.cents) + currency;
}

// Writes two progress chunks with a gap between them, so kills land mid-stream too.
std::string reserve_item(const std::string& order_id, const std::string& item) {
  log_execution("reserve_item");
  auto progress = workflow::get_writable("progress");
  progress.write("reserving " + item);
  std::this_thread::sleep_for(std::chrono::milliseconds(15));
  progress.write("reserved " + item);
  return order_id + ":" + item;
}

std::string flaky_carrier(const std::string& order_id) {
  log_execution("flaky_carrier");
  if (workflow::step_metadata().attempt < 2) {
    throw workflow::RetryableError("carrier busy", std::chrono::milliseconds(10));
  }
  return "shp_" + order_id;
}

std::string refuse_coupon(const std::string& order_id) {
  log_execution("refuse_coupon");
  throw workflow::FatalError("coupon expired for " + order_id);
}

std::string seal_box(const std::string& order_id, int items) {
  log_execution("seal_box");
  return "box_" + order_id + "x" + std::to_string(items);
}

std::string summarize(const std::vector<std::string>& parts) {
  log_execution("summarize");
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : "|") + part;
  return out;
}

}  // namespace shop
