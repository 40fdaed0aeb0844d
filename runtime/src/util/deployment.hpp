// The default deployment ID: derived from the build of the running program, so two builds of one
// application are two deployments and a rebuilt worker does not replay runs its predecessor
// started (DESIGN §6: runs are pinned to the deployment that started them).
#pragma once

#include <string>

namespace workflow::detail {

/// `build-<hex>`: the executable's GNU build ID when the linker recorded one, otherwise a hash
/// of the executable's path, size and modification time.
std::string default_deployment_id();

}  // namespace workflow::detail
