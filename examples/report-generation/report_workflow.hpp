// The report workflow: figures per region, each a step, feeding one final step.
#pragma once

#include <workflow/workflow.hpp>

#include <string>
#include <vector>

namespace reports {

struct RegionFigures {
  std::string region;
  long sales = 0;
  long costs = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(RegionFigures, region, sales, costs)

[[workflow::step]] long fetch_sales(const std::string& region);
[[workflow::step]] long fetch_costs(const std::string& region);
[[workflow::step]] std::string render_report(const std::vector<RegionFigures>& figures);

[[workflow::workflow]] std::string quarterly_report(std::vector<std::string> regions);

}  // namespace reports
