// The step attempts executing in this process, each with the stop source of its stop token
// (StepMetadata::stop_token): a cancel, restart or takeover of its run asks it to stop.
//
// Thread safety: all members may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

namespace workflow::detail {

class RunningSteps {
 public:
  /// Registers an attempt of `run_id`'s attempt `run_attempt`; returns the key remove() takes.
  std::uint64_t add(const std::string& run_id, int run_attempt, std::stop_source stop) {
    std::lock_guard lock(mutex_);
    steps_.emplace(++last_key_, Step{run_id, run_attempt, std::move(stop)});
    return last_key_;
  }
  void remove(std::uint64_t key) {
    std::lock_guard lock(mutex_);
    steps_.erase(key);
  }
  /// Asks the attempts of `run_id` whose run attempt is below `below_attempt` to stop.
  void stop(const std::string& run_id, int below_attempt) {
    std::lock_guard lock(mutex_);
    for (auto& [key, step] : steps_)
      if (step.run_id == run_id && step.run_attempt < below_attempt) step.stop.request_stop();
  }
  /// The runs (and their attempts) with a step executing here.
  std::vector<std::pair<std::string, int>> runs() {
    std::lock_guard lock(mutex_);
    std::vector<std::pair<std::string, int>> result;
    for (auto& [key, step] : steps_) result.emplace_back(step.run_id, step.run_attempt);
    return result;
  }

 private:
  struct Step {
    std::string run_id;
    int run_attempt;
    std::stop_source stop;
  };
  std::mutex mutex_;
  std::map<std::uint64_t, Step> steps_;
  std::uint64_t last_key_ = 0;
};

}  // namespace workflow::detail
