// Fresh journals and commit floors for the runtime benchmark.
#include "bench_journal.hpp"

#include <workflow/workflow.hpp>

#include "store/postgres/pg_url.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

namespace bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

double seconds_since(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

std::pair<double, double> sqlite_commit_floor_us(const std::filesystem::path& dir) {
  auto path = (dir / "floor.db").string();
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT)",
               nullptr, nullptr, nullptr);
  auto pass = [&] {
    auto begin = SteadyClock::now();
    for (int i = 0; i < 1000; ++i)
      sqlite3_exec(db, "BEGIN IMMEDIATE; INSERT INTO t(b) VALUES('step result'); COMMIT", nullptr, nullptr, nullptr);
    return seconds_since(begin) * 1e6 / 1000;
  };
  double growing = pass();
  pass();
  double wrapped = pass();
  sqlite3_close(db);
  return {growing, wrapped};
}

PGconn* connect(const std::string& url) {
  // The URL as the runtime hands it to libpq (without our `schema` parameter).
  PGconn* connection = PQconnectdb(workflow::detail::parse_postgres_url(url, {}).connect_url.c_str());
  if (PQstatus(connection) != CONNECTION_OK) {
    std::string message = PQerrorMessage(connection);
    PQfinish(connection);
    throw std::runtime_error("cannot connect to the benchmark database: " + message);
  }
  return connection;
}

void exec(PGconn* connection, const char* sql) {
  PGresult* result = PQexec(connection, sql);
  auto status = PQresultStatus(result);
  std::string message = PQresultErrorMessage(result);
  PQclear(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throw std::runtime_error(message);
}

// One connection committing one small row at a time (latency), then eight at once (the server's
// commit rate, which PostgreSQL's own group commit raises above one fsync per commit).
std::pair<double, double> postgres_commit_floor(const std::string& url) {
  PGconn* setup = connect(url);
  exec(setup, "DROP TABLE IF EXISTS workflow_bench_floor; CREATE TABLE workflow_bench_floor(a bigserial, b text)");
  auto commits = [&](int count) {
    PGconn* connection = connect(url);
    exec(connection, "SET synchronous_commit = on");
    for (int i = 0; i < count; ++i) exec(connection, "INSERT INTO workflow_bench_floor(b) VALUES ('step result')");
    PQfinish(connection);
  };
  auto begin = SteadyClock::now();
  commits(1000);
  double latency_us = seconds_since(begin) * 1e6 / 1000;
  begin = SteadyClock::now();
  std::vector<std::thread> writers;
  for (int i = 0; i < 8; ++i) writers.emplace_back(commits, 1000);
  for (auto& writer : writers) writer.join();
  double rate = 8000 / seconds_since(begin);
  exec(setup, "DROP TABLE workflow_bench_floor");
  PQfinish(setup);
  return {latency_us, rate};
}

}  // namespace

std::string with_schema(const std::string& url, const std::string& schema) {
  auto base = workflow::detail::parse_postgres_url(url, {}).connect_url;
  return base + (base.find('?') == std::string::npos ? "?" : "&") + "schema=" + schema;
}

BenchJournals::BenchJournals(std::filesystem::path dir, std::string database)
    : dir_(std::move(dir)), database_(std::move(database)) {}

std::string BenchJournals::fresh_url(const std::string& name) {
  if (!postgres()) {
    auto path = dir_ / (name + ".db");
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    return path.string();
  }
  auto schema = "bench_" + name + "_" + std::to_string(getpid());
  PGconn* connection = connect(database_);
  exec(connection, ("DROP SCHEMA IF EXISTS " + schema + " CASCADE").c_str());
  PQfinish(connection);
  return with_schema(database_, schema);
}

void BenchJournals::use_fresh(const std::string& name, unsigned workers) {
  workflow::shutdown();
  workflow::Config config;
  config.database = fresh_url(name);
  config.workers = workers;
  current_ = config;
  workflow::configure(config);
  workflow::get_run("warm-up").exists();  // open the journal outside the timed part
}

std::pair<double, double> BenchJournals::commit_floor_us() {
  return postgres() ? postgres_commit_floor(database_) : sqlite_commit_floor_us(dir_);
}

}  // namespace bench
