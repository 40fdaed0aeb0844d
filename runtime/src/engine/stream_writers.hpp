// Streams inside the engine: the writers one step attempt or one execution of a workflow body has
// opened, by namespace, and the run's streams as users see them.
//
// A second get_writable() for the same namespace in the same call returns the same writer, so
// chunk numbering (and with it the once-only writer keys) continues instead of starting over.
#pragma once

#include "engine/attempt_gate.hpp"
#include "store/journal_store.hpp"

#include <workflow/streams.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace workflow::detail {

class Engine;

struct StreamWriters {
  /// The engine executing the run (not Engine::instance(): during a shutdown that would start a
  /// new one, whose write queue does not order chunks before the step's result).
  Engine* engine = nullptr;
  /// The run's attempt: chunks of an attempt a restart has replaced are dropped.
  int run_attempt = 1;
  /// What the writer keys of this call start with: the call's correlation ID (`step-3`,
  /// `a2/p1.2/step-4`) or, for a workflow body, its attempt and branch prefix plus `body`.
  std::string key_base;
  /// A step attempt with a timeout: its writes pass the gate, and once the attempt is abandoned
  /// they are dropped. Null for other calls.
  std::shared_ptr<AttemptGate> attempt_gate;
  std::map<std::string, std::shared_ptr<StreamWriter::State>, std::less<>> by_namespace;

  /// Waits until every chunk these writers wrote is committed; rethrows the first failure as
  /// StorageError naming the run and stream.
  void flush_all();
};

/// The writers of the step attempt running on this thread, or null outside a step.
StreamWriters* current_step_stream_writers();

/// The run's streams as users see them (`Run::streams()`, `inspect_run`).
std::vector<StreamInfo> stream_infos(StoreTransaction& transaction, const RunRecord& run);

}  // namespace workflow::detail
