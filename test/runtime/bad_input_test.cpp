// Bad input gives a clear error naming the problem and changes nothing on disk: an unknown run,
// a file that is not a database, a newer schema, a locked database, an unregistered workflow.
#include "test_support.hpp"

#include "store/journal_store.hpp"
#include "store/sqlite/sqlite_migrations.hpp"

#include <sqlite3.h>

#include <fstream>
#include <sstream>
#include <thread>

namespace {

int unregistered_workflow(int x) { return x; }  // never registered

int registered(int x) {
  WORKFLOW_ENTRY(registered);
  return x;
}
REGISTER_WORKFLOW(registered);

std::string file_contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
}

class BadInputTest : public ::testing::Test {
 protected:
  void TearDown() override { workflow::shutdown(); }
  std::string path(const char* name) const { return (dir_.path() / name).string(); }
  /// A fresh journal on the backend under test (tests of SQLite files use path() instead).
  std::string journal() const { return workflow::test_support::fresh_journal(dir_.path()); }
  void use_database(const std::string& database,
                    std::chrono::milliseconds lease = std::chrono::milliseconds(30000)) {
    workflow::shutdown();
    workflow::Config config;
    config.database = database;
    config.store.busy_timeout = std::chrono::milliseconds(200);
    config.lease = lease;
    workflow::configure(config);
  }
  /// A journal with one finished run, then changed by `statements` as a newer build would.
  std::string journal_changed_by_a_newer_build(const std::vector<const char*>& statements) {
    auto file = path("journal.db");
    use_database(file);
    workflow::start(registered, 1).return_value();
    workflow::shutdown();
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    for (const char* statement : statements) exec(db, statement);
    sqlite3_close(db);
    return file;
  }
  template <class Action>
  std::string error_of(Action action) {
    try {
      action();
    } catch (const workflow::Error& error) {
      return error.what();
    }
    ADD_FAILURE() << "expected a workflow::Error";
    return {};
  }
  workflow::test_support::TempDir dir_;
};

// Bad journal files and SQLite's own locks: these run on SQLite only (test/runtime/CMakeLists.txt
// leaves every test named *Sqlite* out of the PostgreSQL registration).
class SqliteJournalFileTest : public BadInputTest {};

TEST_F(BadInputTest, UnknownRunId) {
  use_database(journal());
  auto run = workflow::get_run("wrun_DOESNOTEXIST");
  EXPECT_FALSE(run.exists());
  auto message = error_of([&] { run.status(); });
  EXPECT_NE(message.find("no run with ID 'wrun_DOESNOTEXIST'"), std::string::npos) << message;
  EXPECT_THROW(run.cancel(), workflow::RunNotFoundError);
  EXPECT_THROW(run.wake_up(), workflow::RunNotFoundError);
  EXPECT_THROW(run.return_value(), workflow::RunNotFoundError);
}

TEST_F(SqliteJournalFileTest, FileThatIsNotADatabase) {
  auto file = path("notes.txt");
  std::ofstream(file) << "these are my notes, not a database\n";
  std::string before = file_contents(file);
  use_database(file);
  auto message = error_of([] { workflow::start(registered, 1); });
  EXPECT_NE(message.find("notes.txt' is not a workflow journal"), std::string::npos) << message;
  EXPECT_EQ(file_contents(file), before);
}

TEST_F(SqliteJournalFileTest, SqliteDatabaseOfSomethingElse) {
  auto file = path("other.db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  exec(db, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
  sqlite3_close(db);
  std::string before = file_contents(file);
  use_database(file);
  auto message = error_of([] { workflow::start(registered, 1); });
  EXPECT_NE(message.find("is a SQLite database but not a workflow-cpp journal"), std::string::npos)
      << message;
  EXPECT_EQ(file_contents(file), before);
}

TEST_F(SqliteJournalFileTest, JournalWrittenByANewerSchema) {
  auto file = journal_changed_by_a_newer_build(
      {"PRAGMA user_version = 99", "UPDATE schema_compatibility SET oldest_usable_version = 99"});
  std::string before = file_contents(file);
  use_database(file);
  auto message = error_of([] { workflow::get_run("x").exists(); });
  EXPECT_NE(message.find("has schema version 99, newer than this build"), std::string::npos)
      << message;
  EXPECT_EQ(file_contents(file), before);
}

TEST_F(SqliteJournalFileTest, ANewerSchemaThatOnlyAddedThingsIsUsedAsItIs) {
  // A rolling deploy: a newer build migrated the journal with additive changes only, and left
  // the oldest usable version at ours; this build keeps working on it and migrates nothing back.
  // One past this build's schema, whichever migrations it has.
  int newer = workflow::detail::latest_sqlite_schema_version() + 1;
  auto set_version = "PRAGMA user_version = " + std::to_string(newer);
  auto file = journal_changed_by_a_newer_build({set_version.c_str(), "CREATE TABLE added_by_a_newer_build (x INTEGER)"});
  use_database(file);
  EXPECT_EQ(workflow::start(registered, 2).return_value(), 2);
  workflow::shutdown();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* version = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &version, nullptr);
  ASSERT_EQ(sqlite3_step(version), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(version, 0), newer);
  sqlite3_finalize(version);
  sqlite3_close(db);
}

// A journal reported busy while a step's result is written: fault_injection_test.cpp.

TEST_F(SqliteJournalFileTest, LockedDatabase) {
  auto file = path("journal.db");
  use_database(file);
  auto finished = workflow::start(registered, 5);
  finished.return_value();
  workflow::shutdown();
  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &holder), SQLITE_OK);
  exec(holder, "BEGIN EXCLUSIVE");
  use_database(file);
  auto message = error_of([] { workflow::start(workflow::StartOptions{.id = "blocked"}, registered, 1); });
  EXPECT_NE(message.find("is locked by another connection or process"), std::string::npos) << message;
  // Callers can tell a lock that may go away from a journal that is unusable.
  EXPECT_THROW(workflow::start(workflow::StartOptions{.id = "blocked"}, registered, 1), workflow::JournalBusyError);
  exec(holder, "ROLLBACK");
  sqlite3_close(holder);
  // Nothing was written while it was locked, and the journal works again.
  EXPECT_FALSE(workflow::get_run("blocked").exists());
  EXPECT_EQ(workflow::get_run(finished.run_id()).return_value(), workflow::Json(5));
}

TEST_F(SqliteJournalFileTest, MissingDirectory) {
  use_database(path("no/such/dir/journal.db"));
  auto message = error_of([] { workflow::get_run("x").exists(); });
  EXPECT_NE(message.find("does not exist"), std::string::npos) << message;
}

TEST_F(BadInputTest, UnknownUrlScheme) {
  use_database("mysql://localhost/db");
  auto message = error_of([] { workflow::get_run("x").exists(); });
  EXPECT_NE(message.find("unknown scheme"), std::string::npos) << message;
}

TEST_F(BadInputTest, StartingAFunctionThatIsNotARegisteredWorkflow) {
  use_database(journal());
  auto message = error_of([] { workflow::start(unregistered_workflow, 1); });
  EXPECT_NE(message.find("not a registered workflow"), std::string::npos) << message;
  EXPECT_NE(message.find("wfc"), std::string::npos) << message;
}

TEST_F(BadInputTest, RunIdWithControlCharacters) {
  use_database(journal());
  EXPECT_THROW(workflow::start(workflow::StartOptions{.id = "bad\nid"}, registered, 1),
               workflow::ConfigurationError);
}

TEST_F(BadInputTest, WorkflowApiOutsideARun) {
  EXPECT_THROW(workflow::now(), workflow::NotInWorkflowError);
  EXPECT_THROW(workflow::sleep(std::chrono::seconds(1)), workflow::NotInWorkflowError);
  EXPECT_THROW(workflow::step_metadata(), workflow::NotInWorkflowError);
  EXPECT_FALSE(workflow::in_run());
}

TEST_F(BadInputTest, ConfigureAfterStartIsRejected) {
  use_database(journal());
  workflow::get_run("x").exists();
  EXPECT_THROW(workflow::configure(workflow::Config{}), workflow::ConfigurationError);
}

}  // namespace

namespace {

TEST_F(BadInputTest, StartingAWorkflowIdNoDeploymentHasRegistered) {
  auto database = journal();
  use_database(database);
  workflow::get_run("x").exists();  // creates the journal
  workflow::shutdown();
  workflow::configure({.database = database, .execute_runs = false});  // a tool, like the CLI
  auto message = error_of([] {
    workflow::start_by_id({.id = "never"}, "workflow//./test//no_such_workflow", workflow::Json::array());
  });
  EXPECT_NE(message.find("no deployment has registered workflow 'workflow//./test//no_such_workflow'"),
            std::string::npos) << message;
  EXPECT_FALSE(workflow::get_run("never").exists());
}

TEST_F(BadInputTest, StartByIdNeedsAnArgumentArray) {
  use_database(journal());
  auto message = error_of([] { workflow::start_by_id({}, WF_ID(registered), workflow::Json{{"x", 1}}); });
  EXPECT_NE(message.find("arguments must be a JSON array"), std::string::npos) << message;
}

}  // namespace
