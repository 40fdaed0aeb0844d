// What a `postgresql://` journal URL and the StoreOptions say about where the journal lives:
// the URL libpq connects with, the schema holding the tables, and the name used in messages.
#pragma once

#include <workflow/store_options.hpp>

#include <string>

namespace workflow::detail {

/// Where one PostgreSQL journal lives, shared by every connection of its store.
struct PgTarget {
  /// The URL as libpq takes it: our own `schema` parameter removed (libpq rejects parameters it
  /// does not know). It may hold the password: never put it in a message.
  std::string connect_url;
  /// The URL with its password replaced by `***`, for messages.
  std::string location;
  /// A valid, unquoted identifier (see valid_schema_name).
  std::string schema;
  StoreOptions options;
};

/// `url` (`postgresql://` or `postgres://`) and `options` as a target. The schema is
/// `options.schema` if set, else the URL's `schema` parameter, else `workflow`.
/// Throws ConfigurationError for a schema name that is not a plain identifier.
PgTarget parse_postgres_url(const std::string& url, const StoreOptions& options);

/// [a-z_][a-z0-9_]{0,62}: lower case, so that quoted and unquoted spellings name the same schema,
/// and at most PostgreSQL's identifier length.
bool valid_schema_name(const std::string& name);

/// `name` as a quoted SQL identifier (valid_schema_name holds, so nothing needs escaping).
std::string quoted_schema(const std::string& name);

}  // namespace workflow::detail
