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

// Progress goes to the run's "progress" stream, which the front end prints as it arrives.
void progress(const std::string& line) { workflow::get_writable("progress").write(line); }

}  // namespace

long fetch_sales(const std::string& region) {
  progress(region + ": querying the sales warehouse");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // a slow warehouse query
  auto sales = figure_for(region, 7);
  progress(region + ": sales " + std::to_string(sales));
  return sales;
}

long fetch_costs(const std::string& region) {
  progress(region + ": querying the ledger");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto costs = figure_for(region, 3) / 2;
  progress(region + ": costs " + std::to_string(costs));
  return costs;
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
  workflow::get_writable("progress").write("rendering the report");
  return render_report(figures);
}

}  // namespace reports
