// std::filesystem reads the disk, which may have changed when a workflow body replays: its free
// functions and the types that touch the disk are reported; paths and file_status values are not.
// RUN: %expect-exit 1 %wfc --root %S %s -o %t.cpp -- %flags 2>&1 | FileCheck %s
#include <filesystem>
namespace fs = std::filesystem;

[[workflow::workflow]] int scan(std::string dir) {
  bool there = fs::exists(dir);
// CHECK: nondeterministic-call-filesystem.cpp:[[@LINE-1]]:16: error: std::filesystem::exists() in workflow 'scan' is not deterministic: a workflow body runs again on every replay [nondeterministic-call]
// CHECK: note: hint: do it in a {{\[\[}}workflow::step]], whose result is journaled
  auto size = std::filesystem::file_size(dir);
// CHECK: nondeterministic-call-filesystem.cpp:[[@LINE-1]]:15: error: std::filesystem::file_size() in workflow 'scan'
  auto where = fs::current_path();
// CHECK: nondeterministic-call-filesystem.cpp:[[@LINE-1]]:16: error: std::filesystem::current_path() in workflow 'scan'
  int count = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
// CHECK: nondeterministic-call-filesystem.cpp:[[@LINE-1]]:28: error: std::filesystem::directory_iterator in workflow 'scan'
    count += entry.is_regular_file();
// CHECK: nondeterministic-call-filesystem.cpp:[[@LINE-1]]:14: error: std::filesystem::directory_entry::is_regular_file() in workflow 'scan'
  }
  fs::recursive_directory_iterator walk(dir);
// CHECK: nondeterministic-call-filesystem.cpp:[[@LINE-1]]:36: error: std::filesystem::recursive_directory_iterator in workflow 'scan'
  fs::directory_entry entry(dir);
// CHECK: nondeterministic-call-filesystem.cpp:[[@LINE-1]]:23: error: std::filesystem::directory_entry in workflow 'scan'
  bool allowed = fs::is_directory(dir);  // workflow: allow-nondeterminism
  // Pure: building paths, looking at a status already read, an end iterator.
  fs::path file = fs::path(dir) / "x.txt";
  auto name = file.filename().string() + file.extension().string();
  fs::file_status status;
  bool directory = fs::is_directory(status) || fs::exists(status);
  fs::directory_iterator end;
  (void)there; (void)size; (void)where; (void)walk; (void)entry; (void)end;
  return count + allowed + directory + static_cast<int>(name.size());
}
// CHECK-NOT: error:
