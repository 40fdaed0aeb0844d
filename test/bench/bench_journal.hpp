// The journals the runtime benchmark uses: fresh SQLite files in a directory, or fresh schemas of
// one PostgreSQL database; and the backend's floor, a bare durable commit measured in the same run.
#pragma once

#include <workflow/config.hpp>

#include <filesystem>
#include <string>
#include <utility>

namespace bench {

class BenchJournals {
 public:
  /// `database`: a postgresql:// URL, or empty for SQLite files in `dir`.
  BenchJournals(std::filesystem::path dir, std::string database);

  bool postgres() const { return !database_.empty(); }
  /// A new, empty journal named after the workload (`w1`, ...).
  std::string fresh_url(const std::string& name);
  /// Restarts this process's engine on a fresh journal with `workers` worker threads, opened
  /// outside the timed part.
  void use_fresh(const std::string& name, unsigned workers = 32);
  /// The configuration use_fresh last started the engine with.
  const workflow::Config& current() const { return current_; }
  /// SQLite: microseconds per durable commit on a new file, then once the WAL wrapped.
  /// PostgreSQL: microseconds per durable commit on one connection, then commits/s over eight.
  std::pair<double, double> commit_floor_us();

 private:
  std::filesystem::path dir_;
  std::string database_;
  workflow::Config current_;
};

/// `url` with its `schema` query parameter set to `schema`.
std::string with_schema(const std::string& url, const std::string& schema);

}  // namespace bench
