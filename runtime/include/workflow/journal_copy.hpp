// Copying a whole journal into a new one: every run with its events and streams, and every
// workflow registration, between any two backends (SQLite file -> PostgreSQL schema, and back).
// `wf journal copy` is built on it (docs/cli.md).
//
// Copy from a journal no process is writing to: stop its workers first. The target must be new
// (no runs, no registrations); a copy that fails midway leaves a partial target, to be dropped
// (the file deleted, the schema dropped) before copying again.
#pragma once

#include <workflow/store_options.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace workflow {

/// What copy_journal has copied: the totals at the end, or the progress so far.
struct CopyReport {
  /// Where the journals live, as printed in messages (passwords replaced by `***`).
  std::string from;
  std::string to;
  std::int64_t runs = 0;
  /// Runs copied that had not ended (pending, running, waiting, paused): the target's workers go
  /// on with them.
  std::int64_t unfinished_runs = 0;
  std::int64_t events = 0;
  std::int64_t streams = 0;
  std::int64_t stream_chunks = 0;
  std::int64_t workflows = 0;
  /// Schedules, with their state (next fire time, last run, paused).
  std::int64_t schedules = 0;
};

/// How copy_journal opens the journals and reports its progress.
struct CopyOptions {
  /// How the source and the target are opened (lock waits, PostgreSQL schema, ...).
  StoreOptions from_store;
  StoreOptions to_store;
  /// Copy even though workers of the source still hold runs (a live lease): those runs are copied
  /// as they are at that moment, and whatever the workers write afterwards is not. Off: refuse.
  bool ignore_live_leases = false;
  /// Runs per target transaction: memory stays bounded and no transaction grows with the journal.
  std::size_t runs_per_transaction = 200;
  /// Called after each committed transaction with the totals so far (on the calling thread).
  std::function<void(const CopyReport&)> progress;
};

/// Copies every run (whatever its status, with its ID, parent, events in order, webhooks and
/// streams with their chunks, writer keys and closed state) and every workflow registration of the journal
/// `from` into the new journal `to` (each a file path, `sqlite://` or `postgresql://` URL, as
/// Config::database). Run and workflow IDs are kept; event IDs are assigned anew, in the same
/// order. No run is held by anyone in the target: runs in progress are claimed at once by the
/// target's workers, waiting and sleeping runs stay so until their event or deadline.
///
/// Refuses, writing nothing, with ConfigurationError: `from` and `to` naming the same journal; a
/// target holding any run or registration; a source holding neither; a source whose workers
/// still hold runs (unless `ignore_live_leases`). A SQLite source file that does not exist, an
/// unreachable server and every read or write failure throw StorageError; a failure after the
/// first commit says the target is partial. Returns the totals, checked against the target.
CopyReport copy_journal(const std::string& from, const std::string& to, const CopyOptions& options = {});

}  // namespace workflow
