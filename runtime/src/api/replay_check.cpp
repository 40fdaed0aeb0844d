// check_replay: replay checks over a journal opened read-only (<workflow/replay_check.hpp>).
#include <workflow/replay_check.hpp>

#include "engine/engine.hpp"
#include "engine/replay_check.hpp"
#include "store/journal_store.hpp"

#include <workflow/errors.hpp>

#include <algorithm>
#include <stdexcept>

namespace workflow {

std::string_view to_string(ReplayResult::Verdict verdict) {
  switch (verdict) {
    case ReplayResult::Verdict::compatible: return "compatible";
    case ReplayResult::Verdict::incompatible: return "incompatible";
    case ReplayResult::Verdict::unchecked: return "unchecked";
  }
  return "unchecked";
}

namespace {

ReplayReport check_replay_in(detail::StoreTransaction* transaction, const ReplayFilter& filter) {
  auto runs = detail::runs_matching(*transaction, filter);
  ReplayReport report;
  for (const auto& run : runs) report.runs.push_back(detail::replay_stored(*transaction, run));
  return report;
}

void check_limit(const ReplayFilter& filter) {
  if (filter.limit < 1 || filter.limit > 100000)
    throw std::invalid_argument("a replay check takes 1 to 100000 runs, not " + std::to_string(filter.limit));
}

}  // namespace

ReplayReport check_replay(const std::string& journal_url, const ReplayFilter& filter) {
  check_limit(filter);
  StoreOptions options;
  options.read_only = true;
  auto store = detail::open_journal_store(journal_url, options);
  return check_replay_in(store->read().get(), filter);
}

ReplayReport check_replay(const ReplayFilter& filter) {
  check_limit(filter);
  return check_replay_in(detail::Engine::instance()->store().read().get(), filter);
}

}  // namespace workflow
