// The public face of schedule expressions (<workflow/schedule_spec.hpp>).
#include <workflow/schedule_spec.hpp>

#include "schedule/schedule_spec.hpp"

namespace workflow {

std::vector<std::chrono::system_clock::time_point> next_fire_times(std::string_view spec, std::string_view time_zone,
                                                                   std::chrono::system_clock::time_point after,
                                                                   std::size_t count) {
  return detail::ScheduleSpec::parse(spec, time_zone).next_n(after, count);
}

std::string describe_schedule(std::string_view spec, std::string_view time_zone) {
  return detail::ScheduleSpec::parse(spec, time_zone).describe();
}

}  // namespace workflow
