// Run IDs and worker identities.
//
// A run ID is `wrun_` + 26 Crockford base-32 characters (a ULID: 48-bit millisecond time, 80
// random bits), so IDs sort by creation time. A worker identity names the host, the process and
// its start time, so a process on the same host can tell at once that an owner has died.
#pragma once

#include <string>
#include <string_view>

namespace workflow::detail {

std::string new_run_id();

/// `host/pid/start-ticks/nonce` of this engine instance; unique across restarts and hosts.
std::string new_worker_identity();

/// True when `identity` names a process on this host that no longer runs. False when it is
/// alive, on another host, or unparseable: only its lease can tell then.
bool is_dead_local_worker(std::string_view identity);

}  // namespace workflow::detail
