// The engine configured as the operator tools configure it (inspect and control, execute
// nothing), on a SQLite journal in a temporary directory of its own that is removed at exit.
// For the fuzz targets that go through the tools' operations.
#pragma once

#include <workflow/config.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

class FuzzJournal {
 public:
  /// `name`: the target's, for the directory's name.
  explicit FuzzJournal(const std::string& name) {
    std::string directory = "/tmp/" + name + ".XXXXXX";
    if (!mkdtemp(directory.data())) std::abort();
    directory_ = directory;
    path_ = directory_ + "/journal.db";
    workflow::Config config;
    config.database = path_;
    config.execute_runs = false;
    workflow::configure(config);
  }
  ~FuzzJournal() { std::filesystem::remove_all(directory_); }
  FuzzJournal(const FuzzJournal&) = delete;
  FuzzJournal& operator=(const FuzzJournal&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string directory_;
  std::string path_;
};
