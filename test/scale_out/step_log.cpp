// Reading the scale-out test's step log: executions, re-executions and overlaps.
#include "step_log.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace scale_out {
namespace {

struct Line {
  long pid = 0;
  std::string what, run;
  int call = 0;
  std::int64_t ns = 0;
  int attempt = 0, recoveries = 0;
};

std::vector<Line> read_lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<Line> lines;
  std::string text;
  while (std::getline(in, text)) {
    std::istringstream fields(text);
    Line line;
    if (!(fields >> line.pid >> line.what >> line.run >> line.call >> line.ns >> line.attempt >> line.recoveries))
      throw std::runtime_error("malformed step log line: " + text);
    lines.push_back(std::move(line));
  }
  return lines;
}

bool intersects(const Window& window, std::int64_t begin, std::int64_t end) {
  return window.begin_ns <= end && window.end_ns >= begin;
}

std::string describe(const std::string& run, int call, const Execution& e) {
  std::ostringstream out;
  out << run << " call " << call << " pid " << e.pid << " [" << e.start_ns << ", " << e.end_ns << ")"
      << (e.finished ? "" : " unfinished") << " attempt " << e.attempt << " recoveries " << e.recoveries;
  return out.str();
}

}  // namespace

void StepLogTail::poll() {
  std::ifstream in(path_, std::ios::binary);
  if (!in) return;
  in.seekg(static_cast<std::streamoff>(offset_));
  std::string chunk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  offset_ += chunk.size();
  partial_ += chunk;
  std::size_t line_end;
  while ((line_end = partial_.find('\n')) != std::string::npos) {
    std::istringstream fields(partial_.substr(0, line_end));
    partial_.erase(0, line_end + 1);
    long pid = 0;
    std::string what, run;
    int call = 0;
    if (!(fields >> pid >> what >> run >> call)) continue;
    int& open = open_[{pid, call}];
    open += what == "start" ? 1 : -1;
    if (open <= 0) open_.erase({pid, call});
  }
}

std::vector<long> StepLogTail::workers_inside(int call) const {
  std::vector<long> pids;
  for (const auto& [key, count] : open_)
    if (key.second == call) pids.push_back(key.first);
  return pids;
}

StepLogReport analyse_step_log(const std::filesystem::path& path, const std::map<pid_t, WorkerLife>& lives,
                               const std::vector<Window>& outages, std::chrono::milliseconds lease) {
  StepLogReport report;
  // Executions open per (pid, run, call): an `end` closes the latest one of its worker.
  std::map<std::tuple<long, std::string, int>, std::size_t> open;
  for (auto& line : read_lines(path)) {
    auto& executions = report.by_call[{line.run, line.call}];
    auto key = std::make_tuple(line.pid, line.run, line.call);
    if (line.what == "start") {
      executions.push_back({line.pid, line.ns, 0, false, line.attempt, line.recoveries});
      open[key] = executions.size() - 1;
    } else if (line.what == "end") {
      auto found = open.find(key);
      if (found == open.end()) throw std::runtime_error("step log: an end without a start for " + line.run);
      executions[found->second].end_ns = line.ns;
      executions[found->second].finished = true;
      open.erase(found);
    }
  }

  std::map<std::string, int> takeovers;
  for (const auto& [call_key, executions] : report.by_call)
    for (const auto& execution : executions)
      takeovers[call_key.first] = std::max(takeovers[call_key.first], execution.recoveries);
  for (const auto& [run, count] : takeovers) {
    report.runs_taken_over += count > 0;
    report.most_takeovers = std::max(report.most_takeovers, count);
  }

  const std::int64_t lease_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(lease).count();
  for (auto& [call_key, executions] : report.by_call) {
    const auto& [run, call] = call_key;
    ++report.calls;
    bool any_finished = false;
    for (auto& execution : executions) {
      ++report.executions;
      any_finished |= execution.finished;
      if (execution.finished) continue;
      auto life = lives.find(static_cast<pid_t>(execution.pid));
      if (life == lives.end() || !life->second.ended_ns) {
        report.problems.push_back("a step body of an unknown or still running worker never ended: " +
                                  describe(run, call, execution));
        continue;
      }
      execution.end_ns = *life->second.ended_ns;
      if (life->second.killed) {
        ++report.cut_by_kill;
      } else {
        ++report.unfinished_in_live_worker;
        report.problems.push_back("a step body never ended although its worker was not killed: " +
                                  describe(run, call, execution));
      }
    }
    report.calls_finished += any_finished;

    std::sort(executions.begin(), executions.end(),
              [](const Execution& a, const Execution& b) { return a.start_ns < b.start_ns; });
    for (std::size_t i = 1; i < executions.size(); ++i) {
      ++report.re_executions;
      auto previous = lives.find(static_cast<pid_t>(executions[i - 1].pid));
      bool killed = previous != lives.end() && previous->second.killed &&
                    *previous->second.ended_ns <= executions[i].start_ns;
      ++(killed ? report.re_executions_after_kill : report.re_executions_worker_alive);
    }

    for (std::size_t i = 0; i < executions.size(); ++i) {
      for (std::size_t j = i + 1; j < executions.size(); ++j) {
        const auto& first = executions[i];
        const auto& second = executions[j];
        if (first.pid == second.pid || second.start_ns >= first.end_ns) continue;
        ++report.overlaps;
        // The first worker's lease can have run out only if it could not renew it for a lease:
        // it was stalled, or the database was down, not long before the second one took over.
        std::int64_t since = first.start_ns - 2 * lease_ns;
        bool stalled = false;
        if (auto life = lives.find(static_cast<pid_t>(first.pid)); life != lives.end()) {
          for (auto& [stopped, continued] : life->second.stalls)
            stalled |= intersects({stopped, continued}, since, second.start_ns);
        }
        bool explained = stalled || std::any_of(outages.begin(), outages.end(), [&](const Window& w) {
                           return intersects(w, since, second.start_ns);
                         });
        if (explained) {
          ++report.overlaps_explained_by_lease;
          report.overlaps_after_stall += stalled;
        } else {
          report.problems.push_back("two live workers ran one step body at once, with no reason for a lost lease: " +
                                    describe(run, call, first) + " and " + describe(run, call, second));
        }
      }
    }
  }
  return report;
}

}  // namespace scale_out
