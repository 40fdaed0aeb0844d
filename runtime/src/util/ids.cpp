// Run IDs (ULIDs) and worker identities with same-host liveness checks through /proc.
#include "util/ids.hpp"

#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>

namespace workflow::detail {
namespace {

constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

std::uint64_t random_u64() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return generator();
}

std::string host_name() {
  std::array<char, 256> buffer{};
  if (gethostname(buffer.data(), buffer.size() - 1) != 0) return "unknown-host";
  return buffer.data();
}

// Field 22 of /proc/<pid>/stat: the process's start time in clock ticks since boot. Together
// with the PID it identifies a process even after the PID is reused.
std::string process_start_ticks(long pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string content;
  if (!std::getline(stat, content)) return "";
  auto close = content.rfind(')');  // the command name may contain spaces and parentheses
  if (close == std::string::npos) return "";
  std::istringstream fields(content.substr(close + 2));
  std::string field;
  for (int index = 3; index <= 22 && fields >> field; ++index) {
    if (index == 22) return field;
  }
  return "";
}

}  // namespace

std::string new_run_id() {
  auto millis = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count());
  std::string id = "wrun_";
  for (int shift = 45; shift >= 0; shift -= 5) id += kCrockford[(millis >> shift) & 31];
  auto high = random_u64(), low = random_u64();
  for (int i = 0; i < 8; ++i) id += kCrockford[(high >> (i * 5)) & 31];
  for (int i = 0; i < 8; ++i) id += kCrockford[(low >> (i * 5)) & 31];
  return id;
}

std::string new_worker_identity() {
  long pid = static_cast<long>(getpid());
  std::ostringstream identity;
  identity << host_name() << '/' << pid << '/' << process_start_ticks(pid) << '/' << std::hex
           << (random_u64() & 0xffffffffu);
  return identity.str();
}

bool is_dead_local_worker(std::string_view identity) {
  auto first = identity.find('/');
  auto second = identity.find('/', first + 1);
  auto third = identity.find('/', second + 1);
  if (first == std::string_view::npos || second == std::string_view::npos ||
      third == std::string_view::npos)
    return false;
  if (identity.substr(0, first) != host_name()) return false;
  // Exactly a PID: std::stol read "1x" as process 1, and 4294967295 became kill(-1, ...).
  pid_t pid = 0;
  auto field = identity.substr(first + 1, second - first - 1);
  auto [end, problem] = std::from_chars(field.data(), field.data() + field.size(), pid);
  if (problem != std::errc() || end != field.data() + field.size() || pid <= 0) return false;
  if (kill(pid, 0) != 0 && errno == ESRCH) return true;
  auto ticks = identity.substr(second + 1, third - second - 1);
  return process_start_ticks(pid) != ticks;  // the PID now belongs to another process
}

}  // namespace workflow::detail
