// A run's inbox of external events: see event_inbox.hpp.
#include "engine/event_inbox.hpp"

#include "store/event_payloads.hpp"

namespace workflow::detail {

const Event* first_undelivered(const std::vector<Event>& events, std::string_view type,
                               const std::set<std::int64_t>& also_delivered) {
  std::set<std::int64_t> delivered = also_delivered;
  for (const auto& event : events) {
    if (event.type != EventType::event_received || event.position < 0) continue;
    if (auto entry = payload::read<payload::EventReceived>(event).delivered) delivered.insert(*entry);
  }
  for (const auto& event : events) {
    if (event.type != EventType::event_received || event.position >= 0) continue;
    if (payload::read<payload::EventReceived>(event).event != type || delivered.count(event.id)) continue;
    return &event;
  }
  return nullptr;
}

}  // namespace workflow::detail
