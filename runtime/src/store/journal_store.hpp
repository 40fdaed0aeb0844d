// The storage interface every journal backend implements (SQLite, PostgreSQL, ...).
//
// The engine speaks only to this interface; each backend passes test/runtime/store_conformance.
// A backend offers transactions; all the engine's writes go through one writer that batches many
// logical writes into one durable transaction (group commit), so backends need not be fast at
// small transactions, only correct.
//
// Thread safety: a JournalStore is shared by all threads; a StoreTransaction belongs to the
// thread that began it.
#pragma once

#include "store/records.hpp"

#include <memory>
#include <string>
#include <vector>

namespace workflow::detail {

class StoreTransaction {
 public:
  virtual ~StoreTransaction() = default;  // rolls back unless committed

  /// The run, locked against other writers until commit where the backend has row locks.
  virtual std::optional<RunRecord> find_run(std::string_view run_id) = 0;
  /// Just the run's status, owner and attempt: the cheap check before each write.
  virtual std::optional<RunFence> fence(std::string_view run_id) = 0;
  virtual void insert_run(const RunRecord& run) = 0;
  /// Overwrites every column of the run `run.id`.
  virtual void update_run(const RunRecord& run) = 0;
  virtual void append_event(const Event& event) = 0;
  /// The run's events in the order they were committed.
  virtual std::vector<Event> events(std::string_view run_id) = 0;
  virtual std::vector<RunRecord> list_runs(const RunFilter& filter) = 0;

  /// Runs of `workflows` pinned to `deployment` that should execute at `now` and that no live
  /// lease holds: unowned, or owned by a holder whose lease ran out or who is listed in
  /// `dead_owners`. Oldest-due first.
  virtual std::vector<RunRecord> due_runs(const std::vector<std::string>& workflows,
                                          std::string_view deployment, TimePoint now,
                                          const std::vector<std::string>& dead_owners,
                                          std::size_t limit) = 0;
  /// When the earliest run of `workflows` pinned to `deployment` becomes due, if any is scheduled.
  virtual std::optional<TimePoint> next_due(const std::vector<std::string>& workflows,
                                            std::string_view deployment) = 0;
  /// Every identity that holds at least one run.
  virtual std::vector<std::string> lease_holders() = 0;
  /// Renews every lease `owner` holds.
  virtual void extend_leases(std::string_view owner, TimePoint until) = 0;
  /// Gives up every run `owner` holds, so that any worker may claim them at once.
  virtual void release_runs(std::string_view owner) = 0;

  /// Appends `data` as the next chunk of the run's stream `name_space`, unless a chunk with
  /// `writer_key` is already there (a replay or retry writing it again) or the stream is closed.
  /// Returns whether it appended.
  /// `json_text` is the chunk as serialized JSON.
  virtual bool append_stream_chunk(std::string_view run_id, std::string_view name_space,
                                   std::string_view writer_key, std::string_view json_text, TimePoint at) = 0;
  /// How many chunks of the stream have a writer key starting with `key_prefix`.
  virtual std::int64_t count_stream_chunks(std::string_view run_id, std::string_view name_space,
                                           std::string_view key_prefix) = 0;
  /// Marks the stream closed (creating it empty if need be); readers end after its last chunk.
  virtual void close_stream(std::string_view run_id, std::string_view name_space) = 0;
  /// Opens every closed stream of the run again (a restarted run writes on).
  virtual void reopen_streams(std::string_view run_id) = 0;
  /// Up to `limit` chunks from index `from`, and the stream's state (length 0 if it does not exist).
  virtual StreamSlice read_stream(std::string_view run_id, std::string_view name_space,
                                  std::int64_t from, std::size_t limit) = 0;
  /// The run's streams, by namespace.
  virtual std::vector<StreamState> streams(std::string_view run_id) = 0;

  virtual void register_workflow(const WorkflowRegistration& registration) = 0;
  virtual std::vector<WorkflowRegistration> workflows() = 0;

  /// Marks a point the transaction can go back to, so one failed logical write in a batch does
  /// not undo the others.
  virtual void savepoint() = 0;
  virtual void release_savepoint() = 0;
  virtual void rollback_to_savepoint() = 0;
  /// Commits; throws StorageError.
  virtual void commit() = 0;
};

class JournalStore {
 public:
  virtual ~JournalStore() = default;
  /// A read-only snapshot.
  virtual std::unique_ptr<StoreTransaction> read() = 0;
  /// A write transaction; one at a time per store. `durable`: its commit is on stable storage
  /// when commit() returns (if the store commits durably at all); otherwise it is visible at once
  /// and made durable by the next durable commit, in order.
  virtual std::unique_ptr<StoreTransaction> write(bool durable = true) = 0;
  /// True if another process committed since the last call: a cheap check for the scheduler.
  virtual bool changed_by_others() = 0;
  /// Where the journal lives, for messages (a path or a URL without the password).
  virtual const std::string& location() const = 0;
};

/// Opens the journal named by `url` (see Config::database), creating and migrating it as needed.
/// `writes_a_lot`: the caller executes runs (not just inspects them); the store may prepare for
/// a stream of commits.
std::unique_ptr<JournalStore> open_journal_store(const std::string& url, bool durable_commits,
                                                 std::chrono::milliseconds busy_timeout,
                                                 bool writes_a_lot = false);

}  // namespace workflow::detail
