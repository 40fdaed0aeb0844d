// Parsing of PostgreSQL journal URLs: our own parameters are taken out before libpq sees them.
#include "store/postgres/pg_url.hpp"

#include "store/journal_store.hpp"

#include <workflow/errors.hpp>

#include <string_view>

namespace workflow::detail {
namespace {

constexpr const char* kDefaultSchema = "workflow";

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
  auto query = database_url_query(url);
  target.connect_url = url.substr(0, query);
  if (query != std::string::npos) {
    std::string kept;
    for (std::size_t begin = query + 1; begin <= url.size();) {
      auto end = url.find('&', begin);
      if (end == std::string::npos) end = url.size();
      std::string_view parameter(url.data() + begin, end - begin);
      auto equals = parameter.find('=');
      // libpq decodes names as well as values (`sch%65ma`), and refuses any it does not know.
      if (equals != std::string_view::npos && percent_decode(parameter.substr(0, equals)) == "schema")
        url_schema = percent_decode(parameter.substr(equals + 1));
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
