// std::chrono::milliseconds as step arguments and results, given milliseconds and seconds (which
// convert). Its JSON form comes from the runtime (<workflow/standard_types.hpp>).
#include "differential.hpp"

#include <chrono>
#include <string>

[[workflow::step]] std::chrono::milliseconds longer(std::chrono::milliseconds delay, std::chrono::milliseconds extra) {
  std::printf("longer(%lld ms, %lld ms)\n", static_cast<long long>(delay.count()),
              static_cast<long long>(extra.count()));
  return delay + extra;
}

[[workflow::workflow]] std::string flow(int ms) {
  std::string out = std::to_string(longer(std::chrono::milliseconds(ms), std::chrono::seconds(2)).count()) + " ";
  out += std::to_string(longer(std::chrono::seconds(1), std::chrono::milliseconds(0)).count());
  differential::replay_point();
  return out;
}

DIFFERENTIAL_MAIN(flow, 250)
