// The report workflow, compiled through wfc.
#include "report_workflow.hpp"

#include <chrono>
#include <cstdio>
#include <thread>

namespace reports {
namespace {

long figure_for(const std::string& region, int salt) {
  long value = salt;
  for (char c : region) value = value * 31 + c;
  return value % 100000;
}

}  // namespace

long fetch_sales(const std::string& region) {
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // a slow warehouse query
  return figure_for(region, 7);
}

long fetch_costs(const std::string& region) {
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  return figure_for(region, 3) / 2;
}

std::string render_report(const std::vector<RegionFigures>& figures) {
  std::string report = "region      sales     costs    margin\n";
  long total = 0;
  for (const auto& row : figures) {
    char line[96];
    std::snprintf(line, sizeof line, "%-8s %8ld  %8ld  %8ld\n", row.region.c_str(), row.sales, row.costs,
                  row.sales - row.costs);
    report += line;
    total += row.sales - row.costs;
  }
  return report + "total margin: " + std::to_string(total) + "\n";
}

std::string quarterly_report(std::vector<std::string> regions) {
  std::vector<RegionFigures> figures;
  for (const auto& region : regions) {
    figures.push_back({region, fetch_sales(region), fetch_costs(region)});
  }
  return render_report(figures);
}

}  // namespace reports
