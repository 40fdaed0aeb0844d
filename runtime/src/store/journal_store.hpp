// The storage interface every journal backend implements (SQLite, PostgreSQL, ...).
//
// The engine speaks only to this interface; each backend passes test/runtime/store_conformance.
// A backend offers transactions; all the engine's writes go through one writer that batches many
// logical writes into one durable transaction (group commit), so backends need not be fast at
// small transactions, only correct.
//
// The contract holds without any global writer lock: many processes on many machines may write
// at once (PostgreSQL), or one at a time (SQLite, whose write transactions exclude each other;
// that is allowed, never required). What a backend must guarantee:
// - Write transactions are at least READ COMMITTED and atomic. A statement of a write transaction
//   that meets a lock another process holds waits up to StoreOptions::busy_timeout, then throws
//   JournalBusyError. A write transaction that loses a conflict the backend resolves by aborting
//   it (a deadlock, a serialization failure) throws TransactionConflictError from the statement or
//   the commit: nothing of it was applied and the whole transaction may be run again.
// - In a write transaction, `find_run` and `fence` lock the run's row until commit or rollback:
//   no other write transaction changes that run meanwhile. Every write to a run (its record, its
//   events, its streams) reads it first through one of them, so one run's writes are serialised
//   and its events are stored in the order of their commits.
// - `claim_due_runs` is atomic: a run is claimed by at most one caller, and a row another
//   transaction has locked is skipped, not waited for. So is `claim_due_schedules`: a schedule
//   claimed stays locked until commit, so two workers never fire one schedule's tick at once.
// - `lock_queue` locks the queue's row until commit (SELECT ... FOR UPDATE): dequeuing from one
//   queue is serialised across processes, so its limits hold (docs/queues.md).
// - At most one unfinished entry of a queue carries a given deduplication ID (a unique index).
// - Read transactions see one consistent snapshot and take no locks.
// - `wait_for_change` wakes on commits of other processes that others may act on, within a
//   bounded time: a run created, left unowned (due, waiting, released), or ended; a stream
//   written; a workflow registered. It need not wake for a worker's writes to a run it goes on
//   holding (its steps, its leases, its claims). It also wakes after a lost connection, when a
//   change may have gone unseen.
//
// Thread safety: a JournalStore is shared by all threads; a StoreTransaction belongs to the
// thread that began it.
#pragma once

#include "store/queue_records.hpp"
#include "store/records.hpp"
#include "store/schedule_record.hpp"

#include <workflow/errors.hpp>
#include <workflow/store_options.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace workflow::detail {

/// A write transaction that the backend aborted to resolve a conflict with another one (a
/// deadlock, a serialization failure). Nothing was written; running it again is safe.
class TransactionConflictError : public StorageError {
 public:
  using StorageError::StorageError;
};

/// Which runs `claim_due_runs` takes, and for whom.
struct ClaimRequest {
  /// Runs of these workflows pinned to `deployment` only.
  std::vector<std::string> workflows;
  std::string deployment;
  /// Due means `ready_at <= now`; a lease is live while `lease_expires_at >= now`.
  TimePoint now;
  /// Owners known to be dead (processes of this host that are gone): their leases count as expired.
  std::vector<std::string> dead_owners;
  std::size_t limit = 0;
  /// Who claims, and until when the new lease lasts.
  std::string owner;
  TimePoint lease_until;
  /// Empty: every due run but those dequeued from a queue with a per-worker limit, which its
  /// dispatcher claims within that limit (docs/queues.md); set: only those of this queue.
  std::string queue;
};

class StoreTransaction {
 public:
  virtual ~StoreTransaction() = default;  // rolls back unless committed

  /// The run; in a write transaction its row is locked until commit.
  virtual std::optional<RunRecord> find_run(std::string_view run_id) = 0;
  /// Just the run's status, owner and attempt: the cheap check before each write. In a write
  /// transaction the run's row is locked until commit, so what the fence says holds for the
  /// writes that follow it.
  virtual std::optional<RunFence> fence(std::string_view run_id) = 0;
  /// Inserts the run unless one with its ID exists, or is being inserted by another transaction
  /// that then commits (this one waits for it). Returns whether it inserted: two processes
  /// starting one run ID at once get one run, and the loser reads the winner's with find_run.
  virtual bool insert_run(const RunRecord& run) = 0;
  /// Overwrites every column of the run `run.id` (read and locked earlier in this transaction);
  /// for a run read as damaged (RunRecord::damage), only the columns no checksum covers.
  virtual void update_run(const RunRecord& run) = 0;
  /// Appends to a run read and locked earlier in this transaction (or inserted by it); returns
  /// the event's ID.
  virtual std::int64_t append_event(const Event& event) = 0;
  /// The run's events in the order they were committed.
  virtual std::vector<Event> events(std::string_view run_id) = 0;
  virtual std::vector<RunRecord> list_runs(const RunFilter& filter) = 0;
  /// How many runs each workflow has in each status (only pairs with runs), with the oldest due
  /// time of those pending and due at `now`. Reads every run: for metrics, not for hot paths.
  virtual std::vector<RunTally> tally_runs(TimePoint now) = 0;

  /// Takes up to `request.limit` runs that should execute at `request.now` and that no live lease
  /// holds (unowned, or owned by a holder whose lease ran out or who is listed as dead), oldest
  /// due first, skipping rows other transactions have locked: each becomes owned by
  /// `request.owner` until `request.lease_until`, and a run taken from another owner counts one
  /// more recovery. Returns the claimed runs as updated, oldest due first. Write transactions only.
  virtual std::vector<RunRecord> claim_due_runs(const ClaimRequest& request) = 0;
  /// When the earliest run of `workflows` pinned to `deployment` becomes due, if any is scheduled.
  virtual std::optional<TimePoint> next_due(const std::vector<std::string>& workflows,
                                            std::string_view deployment) = 0;
  /// Every identity that holds at least one run.
  virtual std::vector<std::string> lease_holders() = 0;
  /// The IDs of the runs `owner` holds.
  virtual std::vector<std::string> runs_held_by(std::string_view owner) = 0;
  /// Renews every lease `owner` holds.
  virtual void extend_leases(std::string_view owner, TimePoint until) = 0;
  /// Gives up every run `owner` holds, so that any worker may claim them at once.
  virtual void release_runs(std::string_view owner) = 0;

  /// Appends `data` as the next chunk of the run's stream `name_space`, unless a chunk with
  /// `writer_key` is already there (a replay or retry writing it again) or the stream is closed.
  /// Returns whether it appended. Concurrent appends to one stream get consecutive indexes (the
  /// stream's row is locked until commit).
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
  /// Every chunk of the stream with its writer key, in index order (copying a journal).
  virtual std::vector<StoredChunk> stream_chunks(std::string_view run_id, std::string_view name_space) = 0;

  /// Records a webhook (in the transaction appending its webhook_created event); a row with the
  /// same hash already there (a replay writing the event again) is left as it is.
  virtual void insert_webhook(const WebhookRecord& hook) = 0;
  /// The webhook whose token hashes to `token_hash`; in a write transaction its row is locked
  /// until commit, so two deliveries to one single-use webhook are serialised.
  virtual std::optional<WebhookRecord> find_webhook(std::string_view token_hash) = 0;
  /// Marks the webhook used: a single-use webhook delivers nothing more.
  virtual void mark_webhook_used(std::string_view token_hash) = 0;
  /// Inserts or replaces the queue's limits.
  virtual void declare_queue(const QueueRecord& queue) = 0;
  virtual std::vector<QueueRecord> queues() = 0;
  /// The queue; in a write transaction its row is locked until commit (see lock_queue).
  virtual std::optional<QueueRecord> lock_queue(std::string_view name) = 0;
  /// Records a run's place in its queue (as given: waiting for a new run, as it was for a copied
  /// one); false (nothing written) when an unfinished entry of the
  /// queue already has its deduplication ID, or is being inserted by another transaction that
  /// then commits.
  virtual bool insert_queue_entry(const QueueEntry& entry) = 0;
  /// The run holding the deduplication ID in the queue while it is unfinished.
  virtual std::optional<std::string> unfinished_duplicate(std::string_view queue, std::string_view deduplication_id) = 0;
  /// The run's queue entry, with its position if it waits.
  virtual std::optional<QueueEntry> queue_entry(std::string_view run_id) = 0;
  /// Queues where runs of `workflows` pinned to `deployment` wait.
  virtual std::vector<std::string> queues_with_waiting(const std::vector<std::string>& workflows,
                                                       std::string_view deployment) = 0;
  /// How many runs wait in the queue.
  virtual std::int64_t count_waiting(std::string_view queue) = 0;
  /// The queue's load but `waiting`; `held` counts runs `owner` holds, `dequeued_since` dequeues
  /// at or after `since`.
  virtual QueueLoad queue_load(std::string_view queue, std::string_view owner, TimePoint since) = 0;
  /// Up to `limit` waiting entries of the queue for runs of `workflows` pinned to `deployment`,
  /// in dequeue order (priority, then creation), skipping runs another transaction has locked.
  virtual std::vector<QueueEntry> waiting_entries(std::string_view queue, const std::vector<std::string>& workflows,
                                                  std::string_view deployment, std::size_t limit) = 0;
  /// Dequeues the waiting run for `owner`: it holds it until `lease_until`, due at `at`. Returns
  /// the run as updated. Write transactions only, after lock_queue.
  virtual RunRecord dequeue_run(std::string_view run_id, std::string_view owner, TimePoint lease_until,
                                TimePoint at) = 0;
  /// The IDs of the run's children that are not final and were not started detached, in no
  /// particular order (not locked: find_run locks each).
  virtual std::vector<std::string> attached_unfinished_children(std::string_view parent_run_id) = 0;
  /// Marks a run inserted by this transaction as detached from its parent: cancelling the parent
  /// leaves it running.
  virtual void mark_detached(std::string_view run_id) = 0;

  // --- retention (docs/retention.md) ---
  /// Up to `limit` runs the selection names, oldest ended first; in a write transaction each is
  /// locked until commit, and rows other transactions have locked are skipped, not waited for.
  virtual std::vector<std::string> prune_roots(const PruneSelection& selection, std::size_t limit) = 0;
  /// The finished, unkept children of `parent_run_ids`; in a write transaction each is locked
  /// until commit.
  virtual std::vector<PrunableChild> prunable_children(const std::vector<std::string>& parent_run_ids) = 0;
  /// Deletes the runs with everything recorded about them: events, streams, webhooks, queue
  /// entries, marks. Returns what went.
  virtual PruneCounts delete_runs(const std::vector<std::string>& run_ids) = 0;
  /// What pruning the selection would delete (the runs it names and their descendants).
  virtual PruneCounts count_prunable(const PruneSelection& selection) = 0;
  /// Marks the run to be kept (no prune deletes it or its descendants), or unmarks it.
  virtual void set_kept(std::string_view run_id, bool keep, TimePoint at) = 0;
  virtual bool kept(std::string_view run_id) = 0;
  /// The room the journal takes (SQLite: the database file; PostgreSQL: the schema's tables).
  virtual JournalSize journal_size() = 0;

  virtual void register_workflow(const WorkflowRegistration& registration) = 0;
  virtual std::vector<WorkflowRegistration> workflows() = 0;

  // --- schedules (docs/schedules.md) ---
  /// The schedule; in a write transaction its row is locked until commit.
  virtual std::optional<ScheduleRecord> find_schedule(std::string_view name) = 0;
  /// Inserts the schedule, or overwrites every column of the one named `schedule.name`.
  virtual void put_schedule(const ScheduleRecord& schedule) = 0;
  /// Whether there was one to delete.
  virtual bool delete_schedule(std::string_view name) = 0;
  /// Every schedule, by name.
  virtual std::vector<ScheduleRecord> list_schedules() = 0;
  /// Up to `limit` unpaused schedules with work at `now` (their next fire time reached, or a
  /// buffered tick whose previous run has ended), by next fire time, each locked until commit;
  /// rows other transactions have locked are skipped, not waited for. Write transactions only.
  virtual std::vector<ScheduleRecord> claim_due_schedules(TimePoint now, std::size_t limit) = 0;
  /// When some unpaused schedule next has work: `now` if one has now, else the earliest next
  /// fire time; nothing if no schedule will fire (a buffered tick waits for a run's end).
  virtual std::optional<TimePoint> next_schedule_work(TimePoint now) = 0;

  /// Commits; throws StorageError (TransactionConflictError: nothing was committed).
  virtual void commit() = 0;
};

class JournalStore {
 public:
  virtual ~JournalStore() = default;
  /// A read-only snapshot.
  virtual std::unique_ptr<StoreTransaction> read() = 0;
  /// A write transaction; one at a time per store object (other processes write concurrently).
  /// `durable`: its commit is on stable storage when commit() returns (if the store commits
  /// durably at all); otherwise it is visible at once and made durable by the next durable
  /// commit, in order.
  virtual std::unique_ptr<StoreTransaction> write(bool durable = true) = 0;
  /// A number that grows when other processes commit to the journal, as far as this process has
  /// learnt. Blocks until it exceeds `seen`, until `deadline`, or until interrupt_waits(); returns
  /// it. Commits of this store object do not count: its callers know of them.
  /// SQLite: polls the file's data version (a cheap PRAGMA) every few milliseconds;
  /// PostgreSQL: LISTEN/NOTIFY on a connection of its own (a reconnect counts as a change).
  virtual std::uint64_t wait_for_change(std::uint64_t seen, TimePoint deadline) = 0;
  /// Makes every wait_for_change in progress, or begun later, return at once: the store's user
  /// is shutting down.
  virtual void interrupt_waits() = 0;
  /// Where the journal lives, for messages (a path or a URL without the password).
  virtual const std::string& location() const = 0;
  /// Why this store can no longer be used, once it cannot (its files were removed or replaced):
  /// every write then throws JournalLostError, and a worker stops.
  virtual std::optional<std::string> lost() { return std::nullopt; }
};

/// Opens the journal named by `url` (see Config::database): a file path, `sqlite://path` or
/// `postgresql://...`, creating and migrating it as needed. `writes_a_lot`: the caller executes
/// runs (not just inspects them); the store may prepare for a stream of commits.
std::unique_ptr<JournalStore> open_journal_store(const std::string& url, const StoreOptions& options,
                                                 bool writes_a_lot = false);

/// A test seam: what every store open_journal_store opens is passed through, when set (the
/// fault-injecting store of test/runtime wraps the real one). Set it only while no engine runs;
/// an empty function removes it.
using StoreDecorator = std::function<std::unique_ptr<JournalStore>(std::unique_ptr<JournalStore>)>;
void set_store_decorator(StoreDecorator decorator);

/// The file a SQLite journal URL names (a plain path or `sqlite://path`); nothing for a URL of
/// another scheme.
std::optional<std::string> sqlite_journal_path(const std::string& url);

/// `url` with any password replaced by `***`, for messages.
std::string redact_database_url(const std::string& url);

/// Where the query of a `scheme://` URL starts (its '?'), as libpq finds it: after the user-info,
/// which ends at the first '@' or '/'. npos without a query.
std::size_t database_url_query(std::string_view url);

/// A query parameter's name or value as libpq decodes it: each `%xx` is the byte xx.
std::string percent_decode(std::string_view text);

}  // namespace workflow::detail
