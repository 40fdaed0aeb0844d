// The webhook secret: configured, or a key file next to a SQLite journal. See webhook_secret.hpp.
#include "engine/webhook_secret.hpp"

#include "engine/webhook_token.hpp"
#include "store/journal_store.hpp"

#include <workflow/errors.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>

namespace workflow::detail {
namespace {

std::string read_key_file(const std::string& path, const std::string& run_id) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) throw ConfigurationError("run " + run_id + ": cannot read the webhook key file '" + path + "': " +
                                       std::strerror(errno));
  struct stat status{};
  std::string key;
  if (::fstat(fd, &status) == 0 && (status.st_mode & 077) == 0) {
    char buffer[256];
    ssize_t got;
    while ((got = ::read(fd, buffer, sizeof buffer)) > 0) key.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(fd);
  if ((status.st_mode & 077) != 0)
    throw ConfigurationError("run " + run_id + ": the webhook key file '" + path +
                             "' may be read by other users; make it mode 0600 (chmod 600) or set "
                             "WORKFLOW_WEBHOOK_SECRET");
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
  return key;
}

// Written under a temporary name and linked into place, so that processes creating it at once
// agree on one key, and none reads a half-written file.
std::string create_or_read_key_file(const std::string& path, const std::string& run_id) {
  if (::access(path.c_str(), F_OK) == 0) return read_key_file(path, run_id);
  std::string temporary = path + ".tmp-" + std::to_string(::getpid());
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    throw ConfigurationError("run " + run_id + ": cannot create the webhook key file '" + path + "': " +
                             std::strerror(errno) + " (or set WORKFLOW_WEBHOOK_SECRET)");
  std::string key = random_base64url(32) + "\n";
  bool written = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
  ::close(fd);
  int linked = written ? ::link(temporary.c_str(), path.c_str()) : -1;
  int link_error = errno;
  ::unlink(temporary.c_str());
  if (!written || (linked != 0 && link_error != EEXIST))
    throw ConfigurationError("run " + run_id + ": cannot create the webhook key file '" + path + "': " +
                             std::strerror(written ? link_error : errno) + " (or set WORKFLOW_WEBHOOK_SECRET)");
  return read_key_file(path, run_id);
}

}  // namespace

std::string webhook_token_for(const Config& config, const std::string& run_id, int attempt,
                              const std::string& correlation_id, const std::string& nonce,
                              const std::string& recorded_hash) {
  auto token = derive_webhook_token(webhook_secret(config.webhook_secret, config.database, run_id), run_id, attempt,
                                    correlation_id, nonce);
  if (!recorded_hash.empty() && webhook_token_hash(token) != recorded_hash)
    throw ConfigurationError("run " + run_id + ": webhook " + correlation_id +
                             " was created with another webhook secret than this process's; give every worker the "
                             "same WORKFLOW_WEBHOOK_SECRET (or key file) as when the run created it");
  return token;
}

std::string webhook_key_file(const std::string& journal_path) { return journal_path + ".webhook-key"; }

std::string webhook_secret(const std::string& configured, const std::string& database, const std::string& run_id) {
  std::string secret = configured;
  if (secret.empty()) {
    auto journal = sqlite_journal_path(database);
    if (!journal)
      throw ConfigurationError("run " + run_id + ": workflow::create_webhook needs a secret for the journal " +
                               redact_database_url(database) +
                               ": set WORKFLOW_WEBHOOK_SECRET (or Config::webhook_secret) to the same random "
                               "value of at least " + std::to_string(kMinWebhookSecretLength) +
                               " characters on every worker");
    // Read once per process and file: every create_webhook (and its replays) needs it.
    static std::mutex mutex;
    static std::map<std::string, std::string> known;
    std::lock_guard lock(mutex);
    auto path = webhook_key_file(*journal);
    auto& cached = known[path];
    if (cached.empty()) cached = create_or_read_key_file(path, run_id);
    secret = cached;
  }
  if (secret.size() < kMinWebhookSecretLength)
    throw ConfigurationError("run " + run_id + ": the webhook secret (WORKFLOW_WEBHOOK_SECRET, Config::webhook_secret "
                             "or the key file) has " + std::to_string(secret.size()) + " characters; it needs at least " +
                             std::to_string(kMinWebhookSecretLength));
  return secret;
}

}  // namespace workflow::detail
