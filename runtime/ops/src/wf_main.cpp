// workflow::wf_main: the CLI for binaries that embed it (<workflow/wf.hpp>).
#include <workflow/wf.hpp>

#include "cli.hpp"

namespace workflow {

int wf_main(int argc, char** argv) { return ops::run_wf(argc, argv); }

}  // namespace workflow
