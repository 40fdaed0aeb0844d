// Fuzz target ids: the checks of IDs an operator or another process hands in. workflow::ops::check_id
// guards every run, workflow, deployment, event-type, correlation ID and cursor of the CLI and the
// REST API; is_dead_local_worker parses the worker identities stored with each lease.
//
// Invariants: check_id throws nothing but BadRequest, and accepts exactly the IDs of 1-256 bytes
// without control characters that are valid UTF-8 (nlohmann's strict dump() is the independent
// judge), and those survive a JSON round trip. is_dead_local_worker never throws, and calls dead
// only an identity whose PID field is a PID.
#include "fuzz_check.hpp"

#include "error_report.hpp"
#include "operations.hpp"
#include "util/ids.hpp"

#include <unistd.h>

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>

namespace {

using workflow::Json;

bool expected_valid(const std::string& id) {
  if (id.empty() || id.size() > 256) return false;
  for (unsigned char c : id)
    if (c < 0x20 || c == 0x7f) return false;
  try {
    (void)Json(id).dump();  // error_handler_t::strict: throws on invalid UTF-8
  } catch (const Json::type_error&) {
    return false;
  }
  return true;
}

void check_ids(const std::string& id) {
  bool accepted = true;
  try {
    workflow::ops::check_id(id, "the run ID");
  } catch (const workflow::ops::BadRequest&) {
    accepted = false;
  }
  WORKFLOW_FUZZ_CHECK(accepted == expected_valid(id));
  if (accepted) WORKFLOW_FUZZ_CHECK(Json::parse(Json(id).dump()) == id);
}

// The second field of `host/pid/start-ticks/nonce`, if it is a PID at all.
bool has_pid(std::string_view identity) {
  auto first = identity.find('/');
  auto second = identity.find('/', first + 1);
  if (first == std::string_view::npos || second == std::string_view::npos) return false;
  auto field = identity.substr(first + 1, second - first - 1);
  pid_t pid = 0;
  auto [end, problem] = std::from_chars(field.data(), field.data() + field.size(), pid);
  return problem == std::errc() && end == field.data() + field.size() && pid > 0;
}

std::string host_name() {
  std::array<char, 256> buffer{};
  if (gethostname(buffer.data(), buffer.size() - 1) != 0) return "unknown-host";
  return buffer.data();
}

void check_identity(const std::string& identity) {
  if (workflow::detail::is_dead_local_worker(identity)) WORKFLOW_FUZZ_CHECK(has_pid(identity));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  check_ids(text);
  check_identity(text);
  // An identity of another host is not parsed further: prefix this host's name to reach the PID.
  static const std::string kLocalPrefix = host_name() + "/";
  check_identity(kLocalPrefix + text);
  return 0;
}
