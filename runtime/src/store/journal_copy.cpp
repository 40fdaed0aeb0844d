// copy_journal (workflow/journal_copy.hpp): one journal into a new one, through the store
// interface only, so that any pair of backends works.
//
// The source is read in one snapshot (one read transaction for the whole copy): with no writer
// the snapshot changes nothing, with one (`ignore_live_leases`) the copy is still consistent.
// The target is written a page of runs per transaction, so memory and transactions stay bounded
// whatever the journal's size; each page is committed before the next is read.
//
// What a copy must preserve, and how:
// - run IDs, parents, statuses, times, attempts: the run record as it is, minus its owner. The
//   target's workers are other processes; an unowned run in progress is claimable at once, and a
//   waiting or sleeping run keeps its `ready_at`.
// - the order of each run's events: appended in order; the target assigns new event IDs.
// - deliveries: an `event_received` delivery names its inbox entry by event ID
//   (docs/journal.md), so that ID is translated to the entry's new one.
// - streams: chunks appended in index order into a stream that starts empty reproduce the same
//   indexes and writer keys; then the stream is closed if it was.
#include <workflow/journal_copy.hpp>

#include "store/event_payloads.hpp"
#include "store/journal_store.hpp"
#include "util/ids.hpp"

#include <workflow/errors.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace workflow {
namespace {

using detail::Event;
using detail::EventType;
namespace payload = detail::payload;
using detail::JournalStore;
using detail::RunFilter;
using detail::RunRecord;
using detail::StoreTransaction;
using detail::TimePoint;

// list_runs' largest page.
constexpr std::size_t kLargestPage = 1000;

// The file of a SQLite journal URL, or nothing for a server URL.
std::optional<std::filesystem::path> sqlite_file(const std::string& url) {
  if (auto path = detail::sqlite_journal_path(url)) return std::filesystem::path(*path);
  return std::nullopt;
}

// Whether `from` and `to` plainly name one journal. Spellings this misses (another host name for
// the same server) are refused anyway: such a target is never empty, or the source is.
bool same_journal(const std::string& from, const std::string& to, const CopyOptions& options) {
  auto from_file = sqlite_file(from), to_file = sqlite_file(to);
  if (from_file && to_file) {
    std::error_code error;
    if (std::filesystem::equivalent(*from_file, *to_file, error)) return true;
    auto from_path = std::filesystem::weakly_canonical(*from_file, error);
    if (error) return false;
    auto to_path = std::filesystem::weakly_canonical(*to_file, error);
    return !error && from_path == to_path;
  }
  return !from_file && !to_file && from == to && options.from_store.schema == options.to_store.schema;
}

// Calls `visit` with each page of the journal's runs (newest first), every run whatever its status.
template <typename Visit>
void for_each_page(StoreTransaction& transaction, std::size_t page_size, Visit visit) {
  RunFilter filter;
  filter.limit = page_size;
  for (;;) {
    auto page = transaction.list_runs(filter);
    if (page.empty()) return;
    visit(page);
    if (page.size() < page_size) return;
    filter.before_id = page.back().id;
  }
}

std::int64_t count_runs(StoreTransaction& transaction) {
  std::int64_t runs = 0;
  for_each_page(transaction, kLargestPage, [&](const std::vector<RunRecord>& page) {
    runs += static_cast<std::int64_t>(page.size());
  });
  return runs;
}

std::string plural(std::int64_t count, const char* noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

void require_empty_target(JournalStore& target) {
  auto reading = target.read();
  auto runs = count_runs(*reading);
  auto registrations = static_cast<std::int64_t>(reading->workflows().size());
  if (runs == 0 && registrations == 0) return;
  throw ConfigurationError("target journal " + target.location() + " is not empty (" + plural(runs, "run") +
                           ", " + plural(registrations, "workflow registration") +
                           "): copy into a new file or database schema; nothing was written");
}

// Refuses a source whose workers still execute runs: what they write after the snapshot would
// be missing from the copy, and the runs would then execute on both journals.
void require_no_live_leases(StoreTransaction& source, const std::string& location) {
  auto holders = source.lease_holders();
  std::erase_if(holders, [](const std::string& owner) { return detail::is_dead_local_worker(owner); });
  if (holders.empty()) return;
  auto now = detail::wall_now();
  std::int64_t held = 0;
  std::set<std::string> live_holders;
  for_each_page(source, kLargestPage, [&](const std::vector<RunRecord>& page) {
    for (const auto& run : page) {
      if (run.owner.empty() || run.lease_expires_at < now) continue;
      if (std::find(holders.begin(), holders.end(), run.owner) == holders.end()) continue;
      ++held;
      live_holders.insert(run.owner);
    }
  });
  if (held == 0) return;
  throw ConfigurationError("source journal " + location + ": " + plural(held, "run") + " held by " +
                           plural(static_cast<std::int64_t>(live_holders.size()), "live worker") + " (e.g. " +
                           *live_holders.begin() +
                           "); stop the workers of the source journal first (they release their runs when "
                           "they stop; a crashed worker's lease runs out after Config::lease), or copy "
                           "anyway (`wf journal copy --force`, CopyOptions::ignore_live_leases)");
}

bool is_inbox_entry(const Event& event) {
  return event.type == EventType::event_received && event.position < 0;
}


// Appends the run's events in order. A delivery names its inbox entry's event ID, which the
// target assigns anew: it is rewritten to the ID the entry got there.
void copy_events(StoreTransaction& source, StoreTransaction& target, const std::string& run_id,
                 CopyReport& report) {
  auto events = source.events(run_id);
  std::map<std::int64_t, std::int64_t> entry_ids;  // source ID of an inbox entry -> its target ID
  for (auto& event : events) {
    auto delivery = event.type == EventType::event_received && event.position >= 0
                        ? payload::read<payload::EventReceived>(event)
                        : payload::EventReceived{};
    if (delivery.delivered) {
      auto entry = entry_ids.find(*delivery.delivered);
      if (entry == entry_ids.end())
        throw StorageError("run " + run_id + ": a delivery names event " + std::to_string(*delivery.delivered) +
                           ", which is no inbox entry before it in the run's journal");
      delivery.delivered = entry->second;
      event.data = delivery;
    }
    auto new_id = target.append_event(event);
    if (is_inbox_entry(event)) entry_ids.emplace(event.id, new_id);
    // A webhook's row goes with its event, as the source has it now (used or not): the copy
    // takes the same POSTs, given the same secret (docs/webhooks.md).
    if (event.type == EventType::webhook_created)
      if (auto hook = source.find_webhook(payload::read<payload::WebhookCreated>(event).token_hash))
        target.insert_webhook(*hook);
  }
  report.events += static_cast<std::int64_t>(events.size());
}

void copy_streams(StoreTransaction& source, StoreTransaction& target, const std::string& run_id,
                  CopyReport& report) {
  auto streams = source.streams(run_id);
  // An open stream without chunks (closed empty, then reopened by a restart) can only be made by
  // closing it and reopening the run's streams, which must happen before any other stream exists.
  bool empty_open = false;
  for (const auto& stream : streams) {
    if (stream.length > 0 || stream.closed) continue;
    target.close_stream(run_id, stream.name_space);
    empty_open = true;
  }
  if (empty_open) target.reopen_streams(run_id);
  for (const auto& stream : streams) {
    ++report.streams;
    if (stream.length == 0 && !stream.closed) continue;
    auto chunks = source.stream_chunks(run_id, stream.name_space);
    for (std::size_t i = 0; i < chunks.size(); ++i) {
      const auto& chunk = chunks[i];
      if (chunk.index != static_cast<std::int64_t>(i) ||
          !target.append_stream_chunk(run_id, stream.name_space, chunk.writer_key, chunk.json_text, chunk.written_at))
        throw StorageError("run " + run_id + ", stream '" + stream.name_space + "': chunk " +
                           std::to_string(chunk.index) + " (writer key '" + chunk.writer_key +
                           "') cannot be copied to index " + std::to_string(i));
    }
    report.stream_chunks += static_cast<std::int64_t>(chunks.size());
    if (stream.closed) target.close_stream(run_id, stream.name_space);
  }
}

void copy_run(StoreTransaction& source, StoreTransaction& target, const RunRecord& run, CopyReport& report) {
  RunRecord copy = run;
  copy.owner.clear();
  copy.lease_expires_at = TimePoint{};
  target.insert_run(copy);
  // A waiting queued run has no ready_at: without its entry it would never leave its queue.
  if (auto entry = source.queue_entry(run.id)) target.insert_queue_entry(*entry);
  // Retention would delete an unmarked copy of a run an operator chose to keep.
  if (source.kept(run.id)) target.set_kept(run.id, true, detail::wall_now());
  copy_events(source, target, run.id, report);
  copy_streams(source, target, run.id, report);
  ++report.runs;
  report.unfinished_runs += !is_final(run.status);
}

// The counts read back from the target must be those written.
void verify(JournalStore& target, const CopyReport& report) {
  auto reading = target.read();
  auto runs = count_runs(*reading);
  auto registrations = static_cast<std::int64_t>(reading->workflows().size());
  if (runs != report.runs || registrations != report.workflows)
    throw StorageError("the target holds " + plural(runs, "run") + " and " +
                       plural(registrations, "workflow registration") + " after " + plural(report.runs, "run") +
                       " and " + plural(report.workflows, "registration") + " were copied");
}

}  // namespace

CopyReport copy_journal(const std::string& from, const std::string& to, const CopyOptions& options) {
  if (from.empty() || to.empty()) throw ConfigurationError("journal copy: name both the source and the target journal");
  if (same_journal(from, to, options))
    throw ConfigurationError("journal copy: the source and the target are the same journal (" +
                             detail::redact_database_url(from) + "); copy into a new file or database schema");
  // Opening a journal creates it: a mistyped source file would be copied as an empty journal.
  if (auto file = sqlite_file(from); file && !std::filesystem::exists(*file))
    throw StorageError("source journal '" + from + "' does not exist");

  // The source is judged before the target is opened: a refused copy creates no target.
  auto source = detail::open_journal_store(from, options.from_store);
  CopyReport report;
  report.from = source->location();
  auto reading = source->read();
  auto registrations = reading->workflows();
  RunFilter newest;
  newest.limit = 1;
  if (registrations.empty() && reading->list_runs(newest).empty())
    throw ConfigurationError("source journal " + report.from +
                             " is empty (no runs, no workflow registrations): nothing to copy");
  if (!options.ignore_live_leases) require_no_live_leases(*reading, report.from);

  auto target = detail::open_journal_store(to, options.to_store);
  report.to = target->location();
  require_empty_target(*target);

  std::size_t page_size = std::clamp<std::size_t>(options.runs_per_transaction, 1, kLargestPage);
  std::optional<CopyReport> committed;  // what the target holds for sure
  try {
    auto writing = target->write();
    for (const auto& registration : registrations) writing->register_workflow(registration);
    for (const auto& queue : reading->queues()) writing->declare_queue(queue);
    report.workflows = static_cast<std::int64_t>(registrations.size());
    // Schedules go as they are, state and all: the target's workers fire their next ticks.
    for (const auto& schedule : reading->list_schedules()) {
      if (schedule.damage)
        throw StorageError("schedule " + schedule.name + ": its record in the source is damaged (" + *schedule.damage +
                           "); delete it there (wf schedules delete) or declare it again, then copy");
      writing->put_schedule(schedule);
      ++report.schedules;
    }
    for_each_page(*reading, page_size, [&](const std::vector<RunRecord>& page) {
      if (!writing) writing = target->write();
      for (const auto& run : page) copy_run(*reading, *writing, run, report);
      writing->commit();
      writing.reset();  // one write transaction at a time per store
      committed = report;
      if (options.progress) options.progress(report);
    });
    if (writing) {  // registrations only
      writing->commit();
      writing.reset();
      committed = report;
    }
    reading.reset();
    verify(*target, report);
  } catch (const std::exception& error) {
    std::string what = "journal copy from " + report.from + " to " + report.to + " failed";
    if (!committed) throw StorageError(what + ": " + error.what() + ". Nothing was copied");
    auto file = sqlite_file(to);
    throw StorageError(what + " after " + plural(committed->runs, "run") + " and " +
                       plural(committed->workflows, "workflow registration") + " were committed: " + error.what() +
                       ". The target holds a partial copy: " +
                       (file ? "delete " + file->string() + " (with its -wal and -shm files)"
                             : std::string("drop its schema (DROP SCHEMA <schema> CASCADE)")) +
                       ", then copy again");
  }
  return report;
}

}  // namespace workflow
