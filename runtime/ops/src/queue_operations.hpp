// The queue operations of the CLI and the REST API (docs/queues.md), shared like operations.hpp.
#pragma once

#include <cstdio>
#include <string>
#include <workflow/serialization.hpp>
#include <workflow/start.hpp>

namespace workflow::ops {

/// Reads `queue`, `priority` (an integer), `partition_key` and `deduplication_id` of a start
/// request into `options`; throws BadRequest for a wrong type.
void read_queue_fields(const Json& request, StartOptions& options);

/// `{"queues": [{"name", "concurrency", "worker_concurrency", "rate_limit", "partition_concurrency",
/// "waiting", "active"}...]}`; a limit without value is null.
Json list_queues_json();
/// One queue as in list_queues_json; NotFound for an undeclared one.
Json queue_json(const std::string& name);

void print_queues(const Json& queues, std::FILE* out);
void print_queue(const Json& queue, std::FILE* out);

}  // namespace workflow::ops
