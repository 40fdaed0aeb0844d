// The CLI's human-readable renderings of the operations' JSON (docs/cli.md); `--json` prints
// the JSON itself instead.
#pragma once

#include <workflow/serialization.hpp>

#include <cstdio>
#include <string>

namespace workflow::ops {

/// The part of a stable ID after its last `//`: `reports::quarterly_report`.
std::string short_name(const std::string& stable_id);

void print_workflows(const Json& workflows, std::FILE* out);
void print_runs(const Json& page, std::FILE* out);
void print_run(const Json& run, std::FILE* out);
void print_events(const Json& events, std::FILE* out);
/// One line for a run after a control operation: `wrun_... cancelled`.
void print_run_status(const Json& summary, std::FILE* out);
/// `wf runs replay`: one line per run, the divergence under an incompatible one, then counts.
void print_replay_report(const Json& report, std::FILE* out);
/// `wf runs upgrade`: one line per run, moved or why it stayed.
void print_upgrade_report(const Json& report, std::FILE* out);
/// `wf runs prune`: what went (or would go), and the journal's size after.
void print_prune_report(const Json& report, std::FILE* out);

}  // namespace workflow::ops
