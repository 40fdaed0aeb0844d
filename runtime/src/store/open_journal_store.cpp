// Chooses the journal backend from a database URL.
#include "store/journal_store.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

#include <workflow/errors.hpp>

#include <mutex>

namespace workflow::detail {

std::optional<std::string> sqlite_journal_path(const std::string& url) {
  if (url.rfind("sqlite://", 0) == 0) return url.substr(9);
  if (url.find("://") != std::string::npos) return std::nullopt;
  return url;
}

namespace {

std::mutex g_decorator_mutex;
StoreDecorator g_decorator;

std::unique_ptr<JournalStore> open_backend(const std::string& url, const StoreOptions& options, bool writes_a_lot) {
  if (url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0)
    return std::make_unique<PostgresStore>(url, options, writes_a_lot);
  auto path = sqlite_journal_path(url);
  if (!path)
    throw ConfigurationError("workflow journal '" + url +
                             "': unknown scheme; use a file path, sqlite:///path or "
                             "postgresql://...");
  if (path->empty() || *path == ":memory:")
    throw ConfigurationError("workflow journal '" + url +
                             "': a journal must be a file so that other processes can share it");
  return std::make_unique<SqliteStore>(*path, options, writes_a_lot);
}

}  // namespace

void set_store_decorator(StoreDecorator decorator) {
  std::lock_guard lock(g_decorator_mutex);
  g_decorator = std::move(decorator);
}

std::unique_ptr<JournalStore> open_journal_store(const std::string& url, const StoreOptions& options,
                                                 bool writes_a_lot) {
  auto store = open_backend(url, options, writes_a_lot);
  std::lock_guard lock(g_decorator_mutex);
  return g_decorator ? g_decorator(std::move(store)) : std::move(store);
}

}  // namespace workflow::detail
