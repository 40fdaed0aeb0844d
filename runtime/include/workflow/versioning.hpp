// Changing a workflow's code under runs already recorded (docs/versioning.md): Temporal's
// patching, for ordinary C++ bodies.
//
//   if (workflow::patched("fraud-check")) {   // the new code
//     check_fraud(order);
//   }
//
// A run that reached this point before the change replays the old path; every other run takes
// the new one. Once no run recorded before the change remains, replace the `if` by its body and
// the call by `workflow::deprecate_patch("fraud-check")`; once no run recorded by the patched
// code remains either, delete that call too. wfc checks that the change ID is a string literal
// used once in the workflow body.
#pragma once

#include <string_view>

namespace workflow {

/// True when this run executes the code after the change `change_id`: a run reaching this call
/// for the first time (it is recorded in the journal), or replaying a run that recorded it. False
/// when replaying a run that passed this point before the change was made. Workflow bodies only.
/// Asked again for the same `change_id` (a loop), the same body or branch gets the same answer.
bool patched(std::string_view change_id);

/// Marks where `patched(change_id)` was, once every run recorded before the change has finished:
/// runs that recorded the patch still replay, and new runs record nothing. Workflow bodies only.
void deprecate_patch(std::string_view change_id);

}  // namespace workflow
