// Damaged journal records (issue 13, defect 4): a step result changed by one digit, a run's input
// changed, JSON that no longer parses, an input nested deeper than the journal reads. Each run is
// set aside (failed with a DamagedRecordError naming the run and the record), never replayed with
// wrong data, and other runs in the same journal carry on. The damage is done with SQL behind the
// store's back, as a bad disk or a hand edit would.
#include "test_support.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>

namespace {

std::atomic<int> g_recorded_doublings{0};
int double_recorded(int x) {
  ++g_recorded_doublings;
  return 2 * x;
}
REGISTER_STEP(double_recorded);

int doubles_twice_around_a_sleep(int x) {
  WORKFLOW_ENTRY(doubles_twice_around_a_sleep);
  int once = CALL_STEP(double_recorded, x);
  workflow::sleep(std::chrono::hours(1));
  return CALL_STEP(double_recorded, once);
}
REGISTER_WORKFLOW(doubles_twice_around_a_sleep);

// Runs `sql` on the journal directly, on either backend.
void tamper(const std::string& database, const std::string& sql) {
  if (workflow::test_support::test_backend() == "sqlite") {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(database.c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);  // the engine may be committing this moment
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
    return;
  }
  // fresh_postgresql_journal appends `schema=<name>` last.
  auto at = database.rfind("schema=");
  ASSERT_NE(at, std::string::npos);
  std::string schema = database.substr(at + 7);
  std::string url = database.substr(0, at - 1);
  PGconn* connection = PQconnectdb(url.c_str());
  ASSERT_EQ(PQstatus(connection), CONNECTION_OK) << PQerrorMessage(connection);
  PGresult* result = PQexec(connection, ("SET search_path TO " + schema + "; " + sql).c_str());
  EXPECT_EQ(PQresultStatus(result), PGRES_COMMAND_OK) << PQerrorMessage(connection);
  PQclear(result);
  PQfinish(connection);
}

class DamagedRecordTest : public workflow::test_support::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    g_recorded_doublings = 0;
  }

  /// A run that recorded its first step and sleeps, with the engine stopped.
  workflow::Run<int> recorded_then_stopped(int x) {
    auto run = workflow::start(doubles_twice_around_a_sleep, x);
    wait_for_status(run, workflow::RunStatus::waiting);
    workflow::shutdown();
    return run;
  }

  /// Makes the run due (as its sleep ending would), restarts the engine and returns the run's
  /// error, which must be a damaged record's.
  std::string set_aside_error(workflow::Run<int>& run) {
    start_engine();
    // An operator's wake-up refuses when it must read a damaged event; the due time is set here.
    try {
      run.wake_up();
    } catch (const workflow::DamagedRecordError&) {
    }
    tamper(database_path(), "UPDATE runs SET ready_at = 0 WHERE id = '" + run.run_id() + "'");
    try {
      run.return_value(std::chrono::seconds(20));
    } catch (const workflow::RunFailedError& error) {
      EXPECT_EQ(run.status(), workflow::RunStatus::failed);
      return error.what();
    }
    ADD_FAILURE() << "the damaged run did not fail";
    return {};
  }
};

TEST_F(DamagedRecordTest, AStepResultChangedByOneDigitIsReportedNotReplayed) {
  auto healthy = workflow::start(doubles_twice_around_a_sleep, 5);
  wait_for_status(healthy, workflow::RunStatus::waiting);
  auto run = recorded_then_stopped(21);
  tamper(database_path(), "UPDATE events SET data = replace(data, '42', '43') "
                          "WHERE type = 'step_completed' AND run_id = '" + run.run_id() + "'");
  auto message = set_aside_error(run);
  EXPECT_NE(message.find("run " + run.run_id()), std::string::npos) << message;
  EXPECT_NE(message.find("(step_completed at step-1)"), std::string::npos) << message;
  EXPECT_NE(message.find("checksum does not match"), std::string::npos) << message;
  EXPECT_EQ(g_recorded_doublings.load(), 2) << "a recorded step ran again";

  healthy.wake_up();
  EXPECT_EQ(healthy.return_value(std::chrono::seconds(20)), 20) << "another run in the journal stopped";
  // The set-aside record stays damaged: it is never rewritten with a fresh checksum.
  auto again = workflow::get_run(run.run_id());
  EXPECT_EQ(again.status(), workflow::RunStatus::failed);
}

TEST_F(DamagedRecordTest, AChangedRunInputIsReported) {
  auto run = recorded_then_stopped(21);
  tamper(database_path(), "UPDATE runs SET input = '[22]' WHERE id = '" + run.run_id() + "'");
  auto message = set_aside_error(run);
  EXPECT_NE(message.find("the run's record in the journal is damaged"), std::string::npos) << message;
  EXPECT_EQ(g_recorded_doublings.load(), 1);
}

TEST_F(DamagedRecordTest, JsonThatNoLongerParsesIsReported) {
  auto run = recorded_then_stopped(21);
  // Without its checksum: what is left to catch it is the decoding.
  tamper(database_path(), "UPDATE events SET data = '{\"result\": 4', checksum = NULL "
                          "WHERE type = 'step_completed' AND run_id = '" + run.run_id() + "'");
  auto message = set_aside_error(run);
  EXPECT_NE(message.find("its JSON cannot be read"), std::string::npos) << message;
  EXPECT_EQ(g_recorded_doublings.load(), 1);
}

TEST_F(DamagedRecordTest, AFieldOfTheWrongTypeIsReportedNotActedOn) {
  auto run = recorded_then_stopped(21);
  // Valid JSON without a checksum: what is left to catch it is the event's payload type.
  tamper(database_path(), "UPDATE events SET data = '{\"attempt\": \"first\", \"input\": [21]}', checksum = NULL "
                          "WHERE type = 'step_started' AND run_id = '" + run.run_id() + "'");
  auto message = set_aside_error(run);
  EXPECT_NE(message.find("(step_started at step-1)"), std::string::npos) << message;
  EXPECT_NE(message.find("its 'attempt' is string, not an integer"), std::string::npos) << message;
  EXPECT_EQ(g_recorded_doublings.load(), 1);
}

// Defect 1: a recorded input nested 50,000 deep (accepted before inputs were bounded) once crashed
// every worker that claimed the run, forever.
TEST_F(DamagedRecordTest, AnInputNestedTooDeepFailsTheRunAndNotTheWorker) {
  auto run = recorded_then_stopped(21);
  std::string deep = std::string(50000, '[') + std::string(50000, ']');
  tamper(database_path(), "UPDATE runs SET input = '" + deep + "', checksum = NULL WHERE id = '" + run.run_id() + "'");
  auto message = set_aside_error(run);
  EXPECT_NE(message.find("JSON nested deeper than"), std::string::npos) << message;
  // The worker that met it goes on executing runs.
  auto after = workflow::start(doubles_twice_around_a_sleep, 1);
  wait_for_status(after, workflow::RunStatus::waiting);
}

int sleeping_child(int x) {
  WORKFLOW_ENTRY(sleeping_child);
  workflow::sleep(std::chrono::hours(1));
  return CALL_STEP(double_recorded, x);
}
REGISTER_WORKFLOW(sleeping_child);

int parent_of_a_sleeping_child(int x) {
  WORKFLOW_ENTRY(parent_of_a_sleeping_child);
  return CALL_WORKFLOW(sleeping_child, x) + 1;
}
REGISTER_WORKFLOW(parent_of_a_sleeping_child);

// The child of `parent`, once both wait (the child in its sleep).
workflow::Run<> sleeping_child_of(const workflow::Run<int>& parent) {
  for (int i = 0; i < 400 && parent.status() != workflow::RunStatus::waiting; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto child = workflow::get_run(parent.run_id() + "-child-1");
  for (int i = 0; i < 400 && child.status() != workflow::RunStatus::waiting; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(child.status(), workflow::RunStatus::waiting);
  return child;
}

// A damaged parent must not stop its child from recording its end (waking the parent once
// rewrote the parent's whole record, which failed the child's commit every second, forever), and
// a damaged child's output is never handed to its parent.
TEST_F(DamagedRecordTest, ADamagedParentDoesNotStopItsChildAndIsSetAsideItself) {
  auto parent = workflow::start(parent_of_a_sleeping_child, 4);
  auto child = sleeping_child_of(parent);
  tamper(database_path(), "UPDATE runs SET input = '[5]' WHERE id = '" + parent.run_id() + "'");
  child.wake_up();
  EXPECT_EQ(child.return_value(std::chrono::seconds(20)), workflow::Json(8));
  try {
    parent.return_value(std::chrono::seconds(20));
    ADD_FAILURE() << "the damaged parent completed";
  } catch (const workflow::RunFailedError& error) {
    EXPECT_NE(std::string(error.what()).find("the run's record in the journal is damaged"), std::string::npos)
        << error.what();
  }
}

TEST_F(DamagedRecordTest, AParentFailsRatherThanTakeADamagedChildsOutput) {
  auto parent = workflow::start(parent_of_a_sleeping_child, 4);
  auto child = sleeping_child_of(parent);
  workflow::shutdown();
  // The child "completed" with an output its checksum does not cover.
  tamper(database_path(), "UPDATE runs SET status = 'completed', output = '999', ready_at = NULL, owner = NULL "
                          "WHERE id = '" + child.run_id() + "'; UPDATE runs SET ready_at = 0 WHERE id = '" +
                          parent.run_id() + "'");
  start_engine();
  try {
    parent.return_value(std::chrono::seconds(20));
    ADD_FAILURE() << "the parent took the damaged child's output";
  } catch (const workflow::RunFailedError& error) {
    EXPECT_NE(std::string(error.what()).find("run " + child.run_id() + ": the run's record"), std::string::npos)
        << error.what();
  }
}

}  // namespace
