// Log records noted by writes, for the writer to log after their commit.
#include "engine/commit_log.hpp"

#include "log/logger.hpp"

namespace workflow::detail {
namespace {

thread_local std::vector<LogRecord>* t_notes = nullptr;

}  // namespace

void append_logged(StoreTransaction& transaction, const Event& event, const RunLabel& run) {
  transaction.append_event(event);
  // Most events (a step's start and result) are below the default level: one check, no record.
  if (t_notes && process_logger().enabled(level_of(event.type))) t_notes->push_back(transition_record(event, run));
}

void log_after_commit(LogRecord record) {
  if (t_notes && process_logger().enabled(record.level)) t_notes->push_back(std::move(record));
}

CommitNotes::CommitNotes(std::vector<LogRecord>& into) : previous_(t_notes) { t_notes = &into; }

CommitNotes::~CommitNotes() { t_notes = previous_; }

}  // namespace workflow::detail
