// Fuzz target journal-record: records read back from a journal someone else wrote (another
// build, another process, a damaged file), as `wf runs get/events/streams/list` and the REST API
// read them: through the SQLite store's decoding into the public inspection API and its JSON.
//
// An input is lines `column=value` over one run, three of its events and one stream chunk;
// a line with a column and no '=' stores NULL. Columns not given keep the values of a plausible
// run, so that short inputs get past the first decoding error:
//   run.status  run.input  run.output  run.error  run.created_at  run.started_at
//   run.completed_at  run.updated_at  run.owner  run.lease_expires_at  run.ready_at
//   run.recovery_count  run.parent_run_id  run.attempt  run.workflow_name  run.deployment_id
//   event1.type  event1.correlation_id  event1.position  event1.step_name  event1.data
//   event1.created_at  (and event2.*, event3.*)
//   stream.length  stream.closed  chunk.writer_key  chunk.data  chunk.created_at
// The rows are written with SQL as given (SQLite's column affinity applies), then read through
// the operations of workflow::ops. Invariants: no crash, no leak, no undefined behaviour; the
// errors are the documented ones; and what is returned prints as JSON.
#include "fuzz_check.hpp"
#include "fuzz_journal.hpp"

#include "error_report.hpp"
#include "json_views.hpp"
#include "operations.hpp"

#include <workflow/errors.hpp>

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace {

using Fields = std::map<std::string, std::optional<std::string>, std::less<>>;

constexpr const char* kRunId = "wrun_01JFUZZ0000000000000000000";

// A run with a completed step: every column filled the way the engine fills it.
const Fields& plausible_record() {
  static const Fields fields = {
      {"run.workflow_name", "workflow//./fuzz//f"}, {"run.deployment_id", "d1"}, {"run.status", "completed"},
      {"run.input", "[1]"}, {"run.output", "2"}, {"run.error", std::nullopt},
      {"run.created_at", "1764630700000000"}, {"run.started_at", "1764630700000001"},
      {"run.completed_at", "1764630700000003"}, {"run.updated_at", "1764630700000003"},
      {"run.owner", std::nullopt}, {"run.lease_expires_at", std::nullopt}, {"run.ready_at", std::nullopt},
      {"run.recovery_count", "0"}, {"run.parent_run_id", ""}, {"run.attempt", "1"},
      {"event1.type", "step_started"}, {"event1.correlation_id", "step-1"}, {"event1.position", "1"},
      {"event1.step_name", "step//./fuzz//g"}, {"event1.data", "{\"attempt\":1}"},
      {"event1.created_at", "1764630700000002"},
      {"event2.type", "step_completed"}, {"event2.correlation_id", "step-1"}, {"event2.position", "1"},
      {"event2.step_name", "step//./fuzz//g"}, {"event2.data", "{\"result\":2}"},
      {"event2.created_at", "1764630700000003"},
      {"event3.type", "run_completed"}, {"event3.correlation_id", ""}, {"event3.position", "-1"},
      {"event3.step_name", ""}, {"event3.data", "{\"output\":2}"}, {"event3.created_at", "1764630700000003"},
      {"stream.length", "1"}, {"stream.closed", "1"},
      {"chunk.writer_key", "step-1/0"}, {"chunk.data", "\"x\""}, {"chunk.created_at", "1764630700000002"},
  };
  return fields;
}

class Journal {
 public:
  Journal() : journal_("journal_record_fuzz") {
    (void)workflow::ops::list_workflows_json();  // creates the journal
    if (sqlite3_open(journal_.path().c_str(), &raw_) != SQLITE_OK) std::abort();
    exec("PRAGMA synchronous = OFF");
  }
  ~Journal() { sqlite3_close(raw_); }

  /// Replaces the journal's content by the record `fields` describes.
  void store(const Fields& fields) {
    exec("BEGIN");
    exec("DELETE FROM runs; DELETE FROM events; DELETE FROM streams; DELETE FROM stream_chunks");
    insert("INSERT INTO runs (id, workflow_name, deployment_id, status, input, output, error, created_at, "
           "started_at, completed_at, updated_at, owner, lease_expires_at, ready_at, recovery_count, "
           "parent_run_id, attempt) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)",
           fields, "run.",
           {"workflow_name", "deployment_id", "status", "input", "output", "error", "created_at", "started_at",
            "completed_at", "updated_at", "owner", "lease_expires_at", "ready_at", "recovery_count",
            "parent_run_id", "attempt"});
    for (const char* event : {"event1.", "event2.", "event3."})
      insert("INSERT INTO events (run_id, type, correlation_id, position, step_name, data, created_at) "
             "VALUES (?1,?2,?3,?4,?5,?6,?7)",
             fields, event, {"type", "correlation_id", "position", "step_name", "data", "created_at"});
    insert("INSERT INTO streams (run_id, namespace, length, closed) VALUES (?1, 'default', ?2, ?3)", fields,
           "stream.", {"length", "closed"});
    insert("INSERT INTO stream_chunks (run_id, namespace, idx, writer_key, data, created_at) "
           "VALUES (?1, 'default', 0, ?2, ?3, ?4)",
           fields, "chunk.", {"writer_key", "data", "created_at"});
    exec("COMMIT");
  }

 private:
  void exec(const char* sql) {
    if (sqlite3_exec(raw_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) std::abort();
  }

  // Parameter 1 is the run ID; the columns follow. A NOT NULL column given NULL is not stored:
  // SQLite itself keeps that out of any journal.
  void insert(const char* sql, const Fields& fields, const std::string& prefix,
              std::initializer_list<const char*> columns) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(raw_, sql, -1, &statement, nullptr) != SQLITE_OK) std::abort();
    sqlite3_bind_text(statement, 1, kRunId, -1, SQLITE_STATIC);
    int index = 2;
    for (const char* column : columns) {
      auto name = prefix + column;
      auto found = fields.find(name);
      const auto& value = found != fields.end() ? found->second : plausible_record().at(name);
      if (value) sqlite3_bind_text(statement, index, value->data(), static_cast<int>(value->size()), SQLITE_STATIC);
      ++index;
    }
    int result = sqlite3_step(statement);
    sqlite3_finalize(statement);
    if (result != SQLITE_DONE && result != SQLITE_CONSTRAINT) std::abort();
  }

  FuzzJournal journal_;
  sqlite3* raw_ = nullptr;
};

Fields parse_fields(std::string_view text) {
  Fields fields;
  for (std::size_t begin = 0; begin <= text.size();) {
    auto end = std::min(text.find('\n', begin), text.size());
    auto line = text.substr(begin, end - begin);
    begin = end + 1;
    auto equals = line.find('=');
    auto name = std::string(line.substr(0, equals));
    if (!plausible_record().count(name)) continue;
    if (equals == std::string_view::npos) fields[name] = std::nullopt;
    else fields[name] = std::string(line.substr(equals + 1));
  }
  return fields;
}

// One operation of `wf`/`wf serve` on the journal; what it returns must print.
template <typename Operation>
void read_back(Operation operation) {
  try {
    auto json = operation();
    (void)workflow::ops::json_text(json);
  } catch (const workflow::StorageError&) {
  } catch (const workflow::DamagedRecordError&) {  // fails its checksum, not JSON, too deep, not an object, or
                                                   // an event payload with a member of the wrong type
  } catch (const workflow::RunNotFoundError&) {  // its row broke a NOT NULL constraint
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Journal journal;
  journal.store(parse_fields(std::string_view(reinterpret_cast<const char*>(data), size)));
  namespace ops = workflow::ops;
  read_back([] { return ops::run_json(kRunId); });
  read_back([] { return ops::run_events_json(kRunId); });
  read_back([] { return ops::run_streams_json(kRunId); });
  read_back([] { return ops::list_runs_json(workflow::RunQuery{}); });
  return 0;
}
