// The `wf` operator tool inside your own binary (target Workflow::ops): the same commands as the
// standalone `wf`, with your workflows' code at hand, which `wf runs replay` and
// `wf runs upgrade` need (docs/versioning.md):
//
//   int main(int argc, char** argv) {
//     if (argc > 1 && std::string_view(argv[1]) == "wf") return workflow::wf_main(argc - 1, argv + 1);
//     ...
//   }
//
// `./orders wf runs replay --unfinished` then replays the journal against the code of ./orders.
#pragma once

namespace workflow {

/// Runs one `wf` command line (`argv[0]` is the command's name, as for `main`); returns the exit
/// code documented in docs/cli.md.
int wf_main(int argc, char** argv);

}  // namespace workflow
