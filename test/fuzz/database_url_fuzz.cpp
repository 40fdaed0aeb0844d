// Fuzz target database-url: journal URLs (WORKFLOW_DATABASE, Config::database, `wf --database`).
// redact_database_url makes every message about a journal; parse_postgres_url takes our own
// `schema` parameter out of a `postgresql://` URL before libpq sees it.
//
// Invariants. Redaction never throws, and replaces by `***` exactly what libpq would use as a
// password: the user-info after its first ':' (user-info ends at the first '@' or '/', as in
// libpq), and the value of every query parameter whose name percent-decodes to `password`. parse_postgres_url throws nothing but ConfigurationError; what it returns has a
// plain schema name, the redacted URL as location, and no `schema` parameter left where libpq
// reads parameters.
#include "fuzz_check.hpp"

#include "store/journal_store.hpp"
#include "store/postgres/pg_url.hpp"

#include <workflow/errors.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using workflow::detail::redact_database_url;

// As libpq's conninfo_uri_decode: "%xx" (two hex digits) is a byte; anything else stands for itself.
std::string percent_decoded(std::string_view text) {
  std::string decoded;
  while (!text.empty()) {
    unsigned byte = 0;
    auto hex = text.substr(std::min<std::size_t>(1, text.size()), 2);
    auto [end, problem] = std::from_chars(hex.data(), hex.data() + hex.size(), byte, 16);
    if (text.front() == '%' && hex.size() == 2 && problem == std::errc() && end == hex.data() + 2 &&
        std::isxdigit(static_cast<unsigned char>(hex.front()))) {
      decoded += static_cast<char>(byte);
      text.remove_prefix(3);
    } else {
      decoded += text.front();
      text.remove_prefix(1);
    }
  }
  return decoded;
}

// Where libpq finds the parts of a URL: the user-info ends at the first '@' or '/' after "://"
// (and is there if that is an '@'); the query starts at the first '?' after it.
struct UrlParts {
  std::string_view user_info;  // empty without an '@'
  std::size_t query = std::string_view::npos;
};

std::optional<UrlParts> url_parts(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  UrlParts parts;
  auto authority = scheme_end + 3;
  auto user_info_end = url.find_first_of("@/", authority);
  auto host = authority;
  if (user_info_end != std::string_view::npos && url[user_info_end] == '@') {
    parts.user_info = url.substr(authority, user_info_end - authority);
    host = user_info_end + 1;
  }
  parts.query = url.find('?', host);
  return parts;
}

// Calls `each(name, value)` for the query parameters of `url` (split at '&', then at the first
// '='); libpq refuses one without '=' anyway.
template <typename Each>
void for_each_parameter(std::string_view url, std::size_t query, Each each) {
  if (query == std::string_view::npos) return;
  for (std::size_t begin = query + 1; begin <= url.size();) {
    auto end = std::min(url.find('&', begin), url.size());
    auto parameter = url.substr(begin, end - begin);
    if (auto equals = parameter.find('='); equals != std::string_view::npos)
      each(parameter.substr(0, equals), parameter.substr(equals + 1));
    begin = end + 1;
  }
}

// `url` with every password libpq would read in it replaced by `***`: the redaction expected.
// (Checking the redacted URL itself is not enough: a password holding '/' can move where a
// second reading finds the user-info.)
std::string expected_redaction(std::string_view url) {
  auto parts = url_parts(url);
  if (!parts || url.substr(0, url.find("://")) == "sqlite") return std::string(url);
  std::vector<std::string_view> secrets;
  if (auto colon = parts->user_info.find(':'); colon != std::string_view::npos)
    secrets.push_back(parts->user_info.substr(colon + 1));
  for_each_parameter(url, parts->query, [&](std::string_view name, std::string_view value) {
    if (percent_decoded(name) == "password") secrets.push_back(value);
  });
  std::string expected;
  std::size_t copied = 0;  // secrets are views into `url`, in order
  for (auto secret : secrets) {
    auto at = static_cast<std::size_t>(secret.data() - url.data());
    expected.append(url.substr(copied, at - copied)).append("***");
    copied = at + secret.size();
  }
  return expected.append(url.substr(copied));
}

void check_postgres_target(const std::string& url) {
  if (url.rfind("postgres://", 0) != 0 && url.rfind("postgresql://", 0) != 0) return;
  workflow::detail::PgTarget target;
  try {
    target = workflow::detail::parse_postgres_url(url, workflow::StoreOptions{});
  } catch (const workflow::ConfigurationError&) {
    return;
  }
  WORKFLOW_FUZZ_CHECK(workflow::detail::valid_schema_name(target.schema));
  WORKFLOW_FUZZ_CHECK(target.location == redact_database_url(url));
  // libpq refuses parameters it does not know: `schema` must be gone from where it looks.
  auto parts = url_parts(target.connect_url);
  WORKFLOW_FUZZ_CHECK(parts.has_value());
  for_each_parameter(target.connect_url, parts->query, [](std::string_view name, std::string_view) {
    WORKFLOW_FUZZ_CHECK(percent_decoded(name) != "schema");
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string url(reinterpret_cast<const char*>(data), size);
  WORKFLOW_FUZZ_CHECK(redact_database_url(url) == expected_redaction(url));
  check_postgres_target(url);
  (void)workflow::detail::sqlite_journal_path(url);
  return 0;
}
