// The log of what the group commit committed (docs/logging.md). While a write of the WriteQueue
// runs, the events it appends (append_logged) and the claims it makes (log_after_commit) are
// noted as log records; the writer logs them once the write's batch has committed, and drops
// them if the write failed or its transaction rolled back. So the log never tells of anything
// the journal does not hold, and tells it in the order of the commits.
//
// Thread safety: notes belong to the thread running the write (the writer thread).
#pragma once

#include "log/log_record.hpp"
#include "log/run_transitions.hpp"
#include "store/journal_store.hpp"

#include <vector>

namespace workflow::detail {

/// Appends `event`, of the run `run`, in `transaction`; inside a write of the WriteQueue, notes
/// its record for the log unless the logger leaves out events of its type.
void append_logged(StoreTransaction& transaction, const Event& event, const RunLabel& run);

/// Inside a write of the WriteQueue: logs `record` once the write has committed. Elsewhere it is
/// dropped.
void log_after_commit(LogRecord record);

/// While it lives, the records noted on this thread go to `into` (the WriteQueue, per write).
class CommitNotes {
 public:
  explicit CommitNotes(std::vector<LogRecord>& into);
  ~CommitNotes();
  CommitNotes(const CommitNotes&) = delete;
  CommitNotes& operator=(const CommitNotes&) = delete;

 private:
  std::vector<LogRecord>* previous_;
};

}  // namespace workflow::detail
