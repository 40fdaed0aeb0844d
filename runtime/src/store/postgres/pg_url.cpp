// Parsing of PostgreSQL journal URLs: our own parameters are taken out before libpq sees them.
#include "store/postgres/pg_url.hpp"

#include "store/journal_store.hpp"

#include <workflow/errors.hpp>

#include <string_view>

namespace workflow::detail {
namespace {

constexpr const char* kDefaultSchema = "workflow";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Query values are percent-encoded, as libpq decodes them.
std::string percent_decode(std::string_view text) {
  std::string decoded;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      decoded += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      decoded += text[i];
    }
  }
  return decoded;
}

}  // namespace

bool valid_schema_name(const std::string& name) {
  if (name.empty() || name.size() > 63) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool letter = (c >= 'a' && c <= 'z') || c == '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string quoted_schema(const std::string& name) { return "\"" + name + "\""; }

PgTarget parse_postgres_url(const std::string& url, const StoreOptions& options) {
  PgTarget target;
  target.location = redact_database_url(url);
  target.options = options;
  std::string url_schema;
  auto query = url.find('?');
  target.connect_url = url.substr(0, query);
  if (query != std::string::npos) {
    std::string kept;
    for (std::size_t begin = query + 1; begin <= url.size();) {
      auto end = url.find('&', begin);
      if (end == std::string::npos) end = url.size();
      std::string_view parameter(url.data() + begin, end - begin);
      if (parameter.rfind("schema=", 0) == 0) url_schema = percent_decode(parameter.substr(7));
      else if (!parameter.empty()) kept += (kept.empty() ? "" : "&") + std::string(parameter);
      begin = end + 1;
    }
    if (!kept.empty()) target.connect_url += "?" + kept;
  }
  target.schema = !options.schema.empty() ? options.schema
                  : !url_schema.empty()   ? url_schema
                                          : kDefaultSchema;
  if (!valid_schema_name(target.schema))
    throw ConfigurationError("workflow journal " + target.location + ": schema name '" + target.schema +
                             "' is not a plain identifier: use lower-case letters, digits and '_' "
                             "(at most 63, not starting with a digit)");
  return target;
}

}  // namespace workflow::detail
