// Making a waiting run due: see run_wakeup.hpp.
#include "engine/run_wakeup.hpp"

namespace workflow::detail {

bool make_due_if_waiting(StoreTransaction& transaction, std::string_view run_id, TimePoint now) {
  auto run = transaction.find_run(run_id);
  if (!run || run->status != RunStatus::waiting) return false;
  // A damaged run is updated narrowly (update_run), so waking it never fails its child's commit.
  run->ready_at = now;
  run->updated_at = now;
  transaction.update_run(*run);
  return true;
}

}  // namespace workflow::detail
