// The dashboard's files, compiled into wf (generated from runtime/ops/dashboard/ by
// embed_assets.cmake) so `wf serve` needs nothing installed beside it.
#pragma once

#include <string_view>
#include <vector>

namespace workflow::ops {

struct DashboardAsset {
  std::string_view path;  // as requested: `/`, `/dashboard.js`, ...
  std::string_view content_type;  // without charset: all are UTF-8
  std::string_view body;
};

const std::vector<DashboardAsset>& dashboard_assets();

}  // namespace workflow::ops
