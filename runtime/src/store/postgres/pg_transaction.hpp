// One transaction of the PostgreSQL journal: the journal's queries in PostgreSQL's dialect.
//
// Write transactions run at READ COMMITTED; `find_run` and `fence` lock the run's row (FOR
// UPDATE), `claim_due_runs` skips rows others have locked (SKIP LOCKED), and appending to a stream
// locks the stream's row. Read transactions are one REPEATABLE READ, READ ONLY snapshot and lock
// nothing. PostgreSQL aborts a transaction at its first failed statement: every later statement,
// and commit(), throw that first error again.
#pragma once

#include "store/journal_store.hpp"
#include "store/postgres/pg_connection.hpp"

#include <exception>
#include <functional>
#include <string>

namespace workflow::detail {

class PgTransaction final : public StoreTransaction {
 public:
  /// Works in the transaction already begun on `connection`. `notify_sql` (write transactions
  /// only) is run before COMMIT if something other processes wait for was written: it tells
  /// their listeners.
  /// `done` runs last, after the rollback if there is one: it hands the connection back.
  PgTransaction(PgConnection& connection, bool writes, std::string notify_sql, std::function<void()> done);
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;
  ~PgTransaction() override;

  std::optional<RunRecord> find_run(std::string_view run_id) override;
  std::optional<RunFence> fence(std::string_view run_id) override;
  bool insert_run(const RunRecord& run) override;
  void update_run(const RunRecord& run) override;
  std::int64_t append_event(const Event& event) override;
  std::vector<Event> events(std::string_view run_id) override;
  std::vector<RunRecord> list_runs(const RunFilter& filter) override;
  std::vector<RunRecord> claim_due_runs(const ClaimRequest& request) override;
  std::optional<TimePoint> next_due(const std::vector<std::string>& workflows, std::string_view deployment) override;
  std::vector<std::string> lease_holders() override;
  std::vector<std::string> runs_held_by(std::string_view owner) override;
  void extend_leases(std::string_view owner, TimePoint until) override;
  void release_runs(std::string_view owner) override;
  bool append_stream_chunk(std::string_view run_id, std::string_view name_space, std::string_view writer_key,
                           std::string_view json_text, TimePoint at) override;
  std::int64_t count_stream_chunks(std::string_view run_id, std::string_view name_space,
                                   std::string_view key_prefix) override;
  void close_stream(std::string_view run_id, std::string_view name_space) override;
  void reopen_streams(std::string_view run_id) override;
  StreamSlice read_stream(std::string_view run_id, std::string_view name_space, std::int64_t from,
                          std::size_t limit) override;
  std::vector<StreamState> streams(std::string_view run_id) override;
  std::vector<StoredChunk> stream_chunks(std::string_view run_id, std::string_view name_space) override;
  void insert_webhook(const WebhookRecord& hook) override;
  std::optional<WebhookRecord> find_webhook(std::string_view token_hash) override;
  void mark_webhook_used(std::string_view token_hash) override;
  // Queues: store/postgres/pg_queues.cpp.
  void declare_queue(const QueueRecord& queue) override;
  std::vector<QueueRecord> queues() override;
  std::optional<QueueRecord> lock_queue(std::string_view name) override;
  bool insert_queue_entry(const QueueEntry& entry) override;
  std::optional<std::string> unfinished_duplicate(std::string_view queue, std::string_view deduplication_id) override;
  std::optional<QueueEntry> queue_entry(std::string_view run_id) override;
  std::vector<std::string> queues_with_waiting(const std::vector<std::string>& workflows,
                                               std::string_view deployment) override;
  QueueLoad queue_load(std::string_view queue, std::string_view owner, TimePoint since) override;
  std::int64_t count_waiting(std::string_view queue) override;
  std::vector<QueueEntry> waiting_entries(std::string_view queue, const std::vector<std::string>& workflows,
                                          std::string_view deployment, std::size_t limit) override;
  RunRecord dequeue_run(std::string_view run_id, std::string_view owner, TimePoint lease_until,
                        TimePoint at) override;
  std::vector<std::string> attached_unfinished_children(std::string_view parent_run_id) override;
  std::vector<RunTally> tally_runs(TimePoint now) override;
  void mark_detached(std::string_view run_id) override;
  // Retention: store/postgres/pg_retention.cpp.
  std::vector<std::string> prune_roots(const PruneSelection& selection, std::size_t limit) override;
  std::vector<PrunableChild> prunable_children(const std::vector<std::string>& parent_run_ids) override;
  PruneCounts delete_runs(const std::vector<std::string>& run_ids) override;
  PruneCounts count_prunable(const PruneSelection& selection) override;
  void set_kept(std::string_view run_id, bool keep, TimePoint at) override;
  bool kept(std::string_view run_id) override;
  JournalSize journal_size() override;
  void register_workflow(const WorkflowRegistration& registration) override;
  std::vector<WorkflowRegistration> workflows() override;
  // Defined in pg_schedules.cpp.
  std::optional<ScheduleRecord> find_schedule(std::string_view name) override;
  void put_schedule(const ScheduleRecord& schedule) override;
  bool delete_schedule(std::string_view name) override;
  std::vector<ScheduleRecord> list_schedules() override;
  std::vector<ScheduleRecord> claim_due_schedules(TimePoint now, std::size_t limit) override;
  std::optional<TimePoint> next_schedule_work(TimePoint now) override;
  void commit() override;

 private:
  /// Runs a statement; remembers its failure, which aborted the transaction.
  PgResult run(const char* sql, const PgParams& params);
  /// Runs a statement that may write; notes whether it wrote something other processes wait
  /// for (`news`). Only those transactions notify: in PostgreSQL a transaction that notifies holds
  /// a database-wide lock from its commit until it ends, so notifying commits of all processes
  /// happen one at a time, fsync included; the hot path (a worker recording its own run's
  /// steps, renewing its leases, claiming) stays off it.
  PgResult change(const char* sql, const PgParams& params, bool news = true);
  /// Locks the stream's row, creating it empty if need be; its state.
  StreamState lock_stream(std::string_view run_id, std::string_view name_space);

  PgConnection& connection_;
  bool writes_;
  std::string notify_sql_;
  std::function<void()> done_;
  bool newsworthy_ = false;
  bool committed_ = false;
  std::exception_ptr first_error_;
};

}  // namespace workflow::detail
