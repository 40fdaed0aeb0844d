// The report workflow, compiled through wfc.
#include "report_workflow.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <stdexcept>

namespace reports {
namespace {

long figure_for(const std::string& region, int salt) {
  long value = salt;
  for (char c : region) value = value * 31 + c;
  return value % 100000;
}

// A slow warehouse query. It gives up as soon as the step is asked to stop (its run was cancelled,
// or the attempt overran its timeout), instead of holding a thread for a result nobody will use.
void query_warehouse(std::chrono::milliseconds how_long) {
  std::mutex mutex;
  std::condition_variable_any answered;  // nobody answers: the query just takes its time
  std::unique_lock lock(mutex);
  answered.wait_for(lock, workflow::step_metadata().stop_token, how_long, [] { return false; });
  if (workflow::stop_requested()) throw std::runtime_error("the warehouse query was abandoned: the step was stopped");
}

// Progress goes to the run's "progress" stream, which the front end prints as it arrives.
void progress(const std::string& line) { workflow::get_writable("progress").write(line); }

}  // namespace

long fetch_sales(const std::string& region) {
  progress(region + ": querying the sales warehouse");
  query_warehouse(std::chrono::milliseconds(200));
  auto sales = figure_for(region, 7);
  progress(region + ": sales " + std::to_string(sales));
  return sales;
}

long fetch_costs(const std::string& region) {
  progress(region + ": querying the ledger");
  query_warehouse(std::chrono::milliseconds(200));
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
