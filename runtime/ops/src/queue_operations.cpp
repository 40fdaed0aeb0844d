// See queue_operations.hpp.
#include "queue_operations.hpp"

#include <limits>
#include <workflow/queues.hpp>

#include "error_report.hpp"
#include "json_views.hpp"
#include "operations.hpp"
#include "text_table.hpp"

namespace workflow::ops {
namespace {

std::string limit_text(const Json& value) { return value.is_null() ? "-" : json_text(value); }

std::string rate_text(const Json& rate) {
  if (rate.is_null()) return "-";
  return json_text(rate.at("count")) + "/" + json_text(rate.at("period_ms")) + "ms";
}

}  // namespace

void read_queue_fields(const Json& request, StartOptions& options) {
  options.queue = string_field(request, "queue", false);
  options.partition_key = string_field(request, "partition_key", false);
  options.deduplication_id = string_field(request, "deduplication_id", false);
  if (!options.queue.empty()) check_id(options.queue, "the queue name");
  auto priority = request.find("priority");
  if (priority != request.end() && !priority->is_null()) {
    if (!priority->is_number_integer() || priority->get<std::int64_t>() < std::numeric_limits<int>::min() ||
        priority->get<std::int64_t>() > std::numeric_limits<int>::max())
      throw BadRequest("\"priority\" must be an integer (lower starts sooner)");
    options.priority = priority->get<int>();
  }
}

Json list_queues_json() {
  Json queues = Json::array();
  for (const auto& queue : list_queues()) queues.push_back(to_json(queue));
  return {{"queues", std::move(queues)}};
}

Json queue_json(const std::string& name) {
  check_id(name, "the queue name");
  for (const auto& queue : list_queues())
    if (queue.name == name) return to_json(queue);
  throw NotFound("no queue '" + name + "' is declared (`wf queues list` shows those that are)");
}

void print_queues(const Json& queues, std::FILE* out) {
  TextTable table({"QUEUE", "CONCURRENCY", "PER WORKER", "RATE", "PER KEY", "WAITING", "ACTIVE"});
  for (const auto& queue : queues.at("queues"))
    table.add({queue.at("name").get<std::string>(), limit_text(queue.at("concurrency")),
               limit_text(queue.at("worker_concurrency")), rate_text(queue.at("rate_limit")),
               limit_text(queue.at("partition_concurrency")), json_text(queue.at("waiting")),
               json_text(queue.at("active"))});
  table.print(out);
  if (queues.at("queues").empty()) std::fprintf(out, "(no queues declared)\n");
}

void print_queue(const Json& queue, std::FILE* out) {
  std::fprintf(out, "queue        %s\n", queue.at("name").get<std::string>().c_str());
  std::fprintf(out, "concurrency  %s\n", limit_text(queue.at("concurrency")).c_str());
  std::fprintf(out, "per worker   %s\n", limit_text(queue.at("worker_concurrency")).c_str());
  std::fprintf(out, "rate         %s\n", rate_text(queue.at("rate_limit")).c_str());
  std::fprintf(out, "per key      %s\n", limit_text(queue.at("partition_concurrency")).c_str());
  std::fprintf(out, "waiting      %s\n", json_text(queue.at("waiting")).c_str());
  std::fprintf(out, "active       %s\n", json_text(queue.at("active")).c_str());
}

}  // namespace workflow::ops
