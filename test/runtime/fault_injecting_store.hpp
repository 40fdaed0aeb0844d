// A journal store for tests that fails on purpose, in the spirit of leveldb's fault-injection
// tests: it wraps the real store of the engine (through set_store_decorator) and, as the test
// asks, fails the Nth commit from now, reports the journal busy, or loses everything that was not
// yet durable as a power cut would. The engine under test cannot tell it from the real store.
//
// Losing what was not durable works on SQLite journals: after every durable commit the store
// copies the journal's files aside (still holding the write lock, so nothing else commits
// meanwhile); lose_what_was_not_durable() puts that copy back. Commits made without a sync since
// (lazy status updates, heartbeats) are gone, exactly as after a power loss.
//
// Thread safety: the faults may be set from the test's thread while the engine runs.
#pragma once

#include "store/journal_store.hpp"
#include "test_support.hpp"

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace workflow::test_support {

class FaultInjectingStore final : public detail::JournalStore {
 public:
  /// What the test sets; shared by the store and the test.
  struct Faults {
    /// The faults below count only commits that carry a step's result (step_completed), not the
    /// engine's other writes (claims, heartbeats), whose timing a test does not control.
    std::atomic<bool> only_step_results{false};
    /// The commit this many commits from now (1: the next) fails with StorageError; 0: none.
    std::atomic<int> fail_commit_in{0};
    /// The next this many commits fail with JournalBusyError, as when another process holds the
    /// journal past the busy timeout. Nothing of them is applied.
    std::atomic<int> busy_commits{0};
    /// Commits that failed on purpose so far, and durable commits that succeeded.
    std::atomic<int> injected{0};
    std::atomic<int> durable_commits{0};
    /// SQLite only: keep a copy of the journal as of the last durable commit.
    std::atomic<bool> keep_durable_copy{false};
    std::mutex copy_mutex;
    std::filesystem::path journal;      // the SQLite file, when keep_durable_copy
    std::filesystem::path durable_copy;  // where its copy goes
    /// Called before the commit of a transaction that claimed due schedules (set before the
    /// engine starts): a test holds a tick's transaction open here, to kill its process mid-tick.
    std::function<void()> before_schedule_commit;
  };

  FaultInjectingStore(std::unique_ptr<detail::JournalStore> inner, std::shared_ptr<Faults> faults)
      : inner_(std::move(inner)), faults_(std::move(faults)) {}

  std::unique_ptr<detail::StoreTransaction> read() override { return inner_->read(); }
  std::unique_ptr<detail::StoreTransaction> write(bool durable) override {
    return std::make_unique<Transaction>(inner_->write(durable), durable, *faults_);
  }
  std::uint64_t wait_for_change(std::uint64_t seen, detail::TimePoint deadline) override {
    return inner_->wait_for_change(seen, deadline);
  }
  void interrupt_waits() override { inner_->interrupt_waits(); }
  const std::string& location() const override { return inner_->location(); }
  std::optional<std::string> lost() override { return inner_->lost(); }

  /// Puts back the journal as of its last durable commit. Call with no engine running.
  static void lose_what_was_not_durable(Faults& faults) {
    std::lock_guard lock(faults.copy_mutex);
    namespace fs = std::filesystem;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(faults.journal.string() + suffix);
    for (const char* suffix : {"", "-wal"}) {
      fs::path copy = faults.durable_copy.string() + suffix;
      if (fs::exists(copy)) fs::copy_file(copy, faults.journal.string() + suffix);
    }
  }

 private:
  class Transaction final : public detail::StoreTransaction {
   public:
    Transaction(std::unique_ptr<detail::StoreTransaction> inner, bool durable, Faults& faults)
        : inner_(std::move(inner)), durable_(durable), faults_(faults) {}

    std::optional<detail::RunRecord> find_run(std::string_view id) override { return inner_->find_run(id); }
    std::optional<detail::RunFence> fence(std::string_view id) override { return inner_->fence(id); }
    bool insert_run(const detail::RunRecord& run) override { return inner_->insert_run(run); }
    void update_run(const detail::RunRecord& run) override { inner_->update_run(run); }
    std::int64_t append_event(const detail::Event& event) override {
      carries_step_result_ = carries_step_result_ || event.type == detail::EventType::step_completed;
      return inner_->append_event(event);
    }
    std::vector<detail::Event> events(std::string_view id) override { return inner_->events(id); }
    std::vector<detail::RunRecord> list_runs(const detail::RunFilter& filter) override {
      return inner_->list_runs(filter);
    }
    std::vector<detail::RunRecord> claim_due_runs(const detail::ClaimRequest& request) override {
      return inner_->claim_due_runs(request);
    }
    std::optional<detail::TimePoint> next_due(const std::vector<std::string>& workflows,
                                              std::string_view deployment) override {
      return inner_->next_due(workflows, deployment);
    }
    std::vector<std::string> lease_holders() override { return inner_->lease_holders(); }
    std::vector<std::string> runs_held_by(std::string_view owner) override { return inner_->runs_held_by(owner); }
    void extend_leases(std::string_view owner, detail::TimePoint until) override {
      inner_->extend_leases(owner, until);
    }
    void release_runs(std::string_view owner) override { inner_->release_runs(owner); }
    bool append_stream_chunk(std::string_view id, std::string_view name_space, std::string_view key,
                             std::string_view json_text, detail::TimePoint at) override {
      return inner_->append_stream_chunk(id, name_space, key, json_text, at);
    }
    std::int64_t count_stream_chunks(std::string_view id, std::string_view name_space,
                                     std::string_view prefix) override {
      return inner_->count_stream_chunks(id, name_space, prefix);
    }
    void close_stream(std::string_view id, std::string_view name_space) override {
      inner_->close_stream(id, name_space);
    }
    void reopen_streams(std::string_view id) override { inner_->reopen_streams(id); }
    detail::StreamSlice read_stream(std::string_view id, std::string_view name_space, std::int64_t from,
                                    std::size_t limit) override {
      return inner_->read_stream(id, name_space, from, limit);
    }
    std::vector<detail::StreamState> streams(std::string_view id) override { return inner_->streams(id); }
    std::vector<detail::StoredChunk> stream_chunks(std::string_view id, std::string_view name_space) override {
      return inner_->stream_chunks(id, name_space);
    }
    void insert_webhook(const detail::WebhookRecord& hook) override { inner_->insert_webhook(hook); }
    std::optional<detail::WebhookRecord> find_webhook(std::string_view token_hash) override {
      return inner_->find_webhook(token_hash);
    }
    void mark_webhook_used(std::string_view token_hash) override { inner_->mark_webhook_used(token_hash); }
    void declare_queue(const detail::QueueRecord& queue) override { inner_->declare_queue(queue); }
    std::vector<detail::QueueRecord> queues() override { return inner_->queues(); }
    std::optional<detail::QueueRecord> lock_queue(std::string_view name) override { return inner_->lock_queue(name); }
    bool insert_queue_entry(const detail::QueueEntry& entry) override { return inner_->insert_queue_entry(entry); }
    std::optional<std::string> unfinished_duplicate(std::string_view queue, std::string_view id) override {
      return inner_->unfinished_duplicate(queue, id);
    }
    std::optional<detail::QueueEntry> queue_entry(std::string_view id) override { return inner_->queue_entry(id); }
    std::vector<std::string> queues_with_waiting(const std::vector<std::string>& workflows,
                                                 std::string_view deployment) override {
      return inner_->queues_with_waiting(workflows, deployment);
    }
    detail::QueueLoad queue_load(std::string_view queue, std::string_view owner, detail::TimePoint since) override {
      return inner_->queue_load(queue, owner, since);
    }
    std::int64_t count_waiting(std::string_view queue) override { return inner_->count_waiting(queue); }
    std::vector<detail::QueueEntry> waiting_entries(std::string_view queue, const std::vector<std::string>& workflows,
                                                    std::string_view deployment, std::size_t limit) override {
      return inner_->waiting_entries(queue, workflows, deployment, limit);
    }
    detail::RunRecord dequeue_run(std::string_view id, std::string_view owner, detail::TimePoint lease_until,
                                  detail::TimePoint at) override {
      return inner_->dequeue_run(id, owner, lease_until, at);
    }
    std::vector<detail::RunTally> tally_runs(detail::TimePoint now) override { return inner_->tally_runs(now); }
    std::vector<std::string> attached_unfinished_children(std::string_view parent_run_id) override {
      return inner_->attached_unfinished_children(parent_run_id);
    }
    void mark_detached(std::string_view id) override { inner_->mark_detached(id); }
    std::vector<std::string> prune_roots(const detail::PruneSelection& selection, std::size_t limit) override {
      return inner_->prune_roots(selection, limit);
    }
    std::vector<detail::PrunableChild> prunable_children(const std::vector<std::string>& parents) override {
      return inner_->prunable_children(parents);
    }
    detail::PruneCounts delete_runs(const std::vector<std::string>& ids) override { return inner_->delete_runs(ids); }
    detail::PruneCounts count_prunable(const detail::PruneSelection& selection) override {
      return inner_->count_prunable(selection);
    }
    void set_kept(std::string_view id, bool keep, detail::TimePoint at) override { inner_->set_kept(id, keep, at); }
    bool kept(std::string_view id) override { return inner_->kept(id); }
    detail::JournalSize journal_size() override { return inner_->journal_size(); }
    void register_workflow(const detail::WorkflowRegistration& registration) override {
      inner_->register_workflow(registration);
    }
    std::vector<detail::WorkflowRegistration> workflows() override { return inner_->workflows(); }
    std::optional<detail::ScheduleRecord> find_schedule(std::string_view name) override {
      return inner_->find_schedule(name);
    }
    void put_schedule(const detail::ScheduleRecord& schedule) override { inner_->put_schedule(schedule); }
    bool delete_schedule(std::string_view name) override { return inner_->delete_schedule(name); }
    std::vector<detail::ScheduleRecord> list_schedules() override { return inner_->list_schedules(); }
    std::vector<detail::ScheduleRecord> claim_due_schedules(detail::TimePoint now, std::size_t limit) override {
      auto claimed = inner_->claim_due_schedules(now, limit);
      claimed_schedules_ = claimed_schedules_ || !claimed.empty();
      return claimed;
    }
    std::optional<detail::TimePoint> next_schedule_work(detail::TimePoint now) override {
      return inner_->next_schedule_work(now);
    }

    void commit() override {
      if (claimed_schedules_ && faults_.before_schedule_commit) faults_.before_schedule_commit();
      // Failing before the real commit: the transaction rolls back when it is destroyed, so
      // nothing of it is applied, as with a real failed commit.
      bool counted = !faults_.only_step_results || carries_step_result_;
      if (counted && faults_.busy_commits > 0 && faults_.busy_commits-- > 0) {
        ++faults_.injected;
        throw JournalBusyError("injected: the journal is locked by another process (fault-injecting store)");
      }
      if (counted && faults_.fail_commit_in > 0 && --faults_.fail_commit_in == 0) {
        ++faults_.injected;
        throw StorageError("injected: the commit failed (fault-injecting store)");
      }
      inner_->commit();
      if (!durable_) return;
      ++faults_.durable_commits;
      if (!faults_.keep_durable_copy) return;
      // Still inside the write transaction's lock: no other commit of this process changes the
      // files while they are copied.
      std::lock_guard lock(faults_.copy_mutex);
      namespace fs = std::filesystem;
      for (const char* suffix : {"", "-wal"}) {
        fs::path from = faults_.journal.string() + suffix, to = faults_.durable_copy.string() + suffix;
        fs::remove(to);
        if (fs::exists(from)) fs::copy_file(from, to);
      }
    }

   private:
    std::unique_ptr<detail::StoreTransaction> inner_;
    bool durable_;
    Faults& faults_;
    bool carries_step_result_ = false;
    bool claimed_schedules_ = false;
  };

  std::unique_ptr<detail::JournalStore> inner_;
  std::shared_ptr<Faults> faults_;
};

/// An EngineTest whose journal is wrapped in a FaultInjectingStore, with the faults in faults_.
class FaultInjectedEngineTest : public EngineTest {
 protected:
  void SetUp() override {
    detail::set_store_decorator([faults = faults_](std::unique_ptr<detail::JournalStore> inner) {
      return std::make_unique<FaultInjectingStore>(std::move(inner), faults);
    });
    EngineTest::SetUp();
  }
  void TearDown() override {
    EngineTest::TearDown();
    detail::set_store_decorator(nullptr);
  }

  std::shared_ptr<FaultInjectingStore::Faults> faults_ = std::make_shared<FaultInjectingStore::Faults>();
};

}  // namespace workflow::test_support
