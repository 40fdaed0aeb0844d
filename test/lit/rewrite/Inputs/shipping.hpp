// A plain struct from a header, used by aggregate-serializers.cpp.
#pragma once
#include <string>

namespace shipping {
struct Address {
  std::string street;
  std::string city;
};
}  // namespace shipping
