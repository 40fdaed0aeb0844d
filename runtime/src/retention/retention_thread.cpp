// The worker's retention thread (retention_thread.hpp).
#include "retention/retention_thread.hpp"

#include "engine/engine.hpp"
#include "log/logger.hpp"
#include "retention/journal_pruner.hpp"
#include "util/duration_text.hpp"


namespace workflow::detail {

std::chrono::seconds parse_retention(std::string_view text) {
  if (text == "forever" || text == "0") return std::chrono::seconds(0);
  return parse_duration_text(text);
}

RetentionThread::RetentionThread(Engine& engine) : engine_(engine), thread_([this] { loop(); }) {}

RetentionThread::~RetentionThread() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

bool RetentionThread::stopping() {
  std::lock_guard lock(mutex_);
  return stopping_;
}

void RetentionThread::loop() {
  const auto retention = engine_.config().retention.value_or(kDefaultRetention);
  const auto interval = std::max(engine_.config().retention_interval, std::chrono::seconds(1));
  bool failing = false;
  while (true) {
    {
      // The first look also waits: a worker starting does its own work first.
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, interval, [this] { return stopping_; })) return;
    }
    try {
      PruneSelection selection{wall_now() - retention, {}};
      auto outcome =
          JournalPruner::prune_journal_of(engine_, selection, [this] { return stopping() || engine_.stopping(); });
      if (outcome.deleted.runs > 0)
        log_message(LogLevel::info, "retention: deleted " + std::to_string(outcome.deleted.runs) + " run(s) that ended over " +
                                        format_duration_text(retention) + " ago, with " +
                                        std::to_string(outcome.deleted.events) + " event(s), in " +
                                        std::to_string(outcome.batches) + " batch(es)");
      if (failing) log_message(LogLevel::warn, "retention: the journal answers again");
      failing = false;
    } catch (const std::exception& error) {
      if (!failing) log_message(LogLevel::warn, std::string("retention: ") + error.what() + " (retrying)");
      failing = true;
    }
  }
}

}  // namespace workflow::detail
