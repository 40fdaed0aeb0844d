// Column-aligned plain-text tables for the CLI's human output.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace workflow::ops {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> headers) { rows_.push_back(std::move(headers)); }
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  /// Prints the rows with each column as wide as its widest cell (the last one unpadded).
  void print(std::FILE* out) const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace workflow::ops
