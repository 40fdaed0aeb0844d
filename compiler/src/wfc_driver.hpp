// The wfc command line (the `wfc` main only calls run_wfc). Exit codes: 0 success, 1 the user's
// source or build setup has errors (no output written), 2 usage or internal error.
#pragma once

namespace workflow::compiler {

int run_wfc(int argc, const char** argv);

}  // namespace workflow::compiler
