// A run's inbox of external events, kept in the journal itself: Run::send_event appends an
// `event_received` record without a call position (an inbox entry); a wait_for_event call that
// takes it appends an `event_received` at its own position naming the entry's id (a delivery).
// Entries are taken in commit order, each by at most one wait, so a replay that has lost an
// unwritten delivery reaches the same one again. Format: docs/journal.md.
#pragma once

#include "store/records.hpp"

#include <set>
#include <string_view>
#include <vector>

namespace workflow::detail {

/// The oldest inbox entry of `type` that no delivery in `events` (nor in `also_delivered`) names,
/// or null.
const Event* first_undelivered(const std::vector<Event>& events, std::string_view type,
                               const std::set<std::int64_t>& also_delivered = {});

}  // namespace workflow::detail
