// `wf`: the operator's command line (docs/cli.md).
#pragma once

namespace workflow::ops {

/// Parses the command line, runs the command and returns the process's exit code.
int run_wf(int argc, char** argv);

}  // namespace workflow::ops
