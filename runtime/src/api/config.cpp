// Engine configuration from the environment and from code.
#include <workflow/config.hpp>

#include "engine/engine.hpp"
#include "retention/retention_thread.hpp"
#include "util/duration_text.hpp"

#include <workflow/errors.hpp>

#include <cstdlib>

namespace workflow {

Config default_config() {
  Config config;
  if (const char* database = std::getenv("WORKFLOW_DATABASE"); database && *database)
    config.database = database;
  else
    config.database = "workflow.db";
  if (const char* deployment = std::getenv("WORKFLOW_DEPLOYMENT_ID"); deployment && *deployment)
    config.deployment_id = deployment;
  if (const char* secret = std::getenv("WORKFLOW_WEBHOOK_SECRET"); secret && *secret)
    config.webhook_secret = secret;
  if (const char* metrics = std::getenv("WORKFLOW_METRICS_ADDRESS"); metrics && *metrics)
    config.metrics_address = metrics;
  config.retention = detail::kDefaultRetention;
  if (const char* retention = std::getenv("WORKFLOW_RETENTION"); retention && *retention) {
    try {
      config.retention = detail::parse_retention(retention);
    } catch (const detail::DurationTextError& error) {
      throw ConfigurationError(std::string("WORKFLOW_RETENTION ") + error.what() +
                               "; give how long finished runs are kept (30d, 12h) or 'forever'");
    }
  }
  if (const char* level = std::getenv("WORKFLOW_LOG_LEVEL"); level && *level) config.log_level = level;
  if (const char* format = std::getenv("WORKFLOW_LOG_FORMAT"); format && *format) config.log_format = format;
  return config;
}

std::string printable_database(const std::string& database) { return detail::redact_database_url(database); }

void configure(const Config& config) { detail::Engine::configure(config); }

void shutdown() { detail::Engine::shutdown_instance(); }

}  // namespace workflow
