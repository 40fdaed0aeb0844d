// Making a waiting run due: what an external event, a child run's end and a resumed wait do to the
// run that waits for them, inside the transaction that records the cause.
#pragma once

#include "store/journal_store.hpp"

#include <string_view>

namespace workflow::detail {

/// If `run_id` is waiting, makes it due at `now` (a worker replays it and finds what it waits
/// for, or waits again). Returns whether it did.
bool make_due_if_waiting(StoreTransaction& transaction, std::string_view run_id, TimePoint now);

}  // namespace workflow::detail
