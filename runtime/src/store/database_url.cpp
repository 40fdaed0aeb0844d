// Database URLs in messages: the password of a URL is never printed.
#include "store/journal_store.hpp"

#include <string_view>

namespace workflow::detail {
namespace {

// The value of a `password=` query parameter, which libpq accepts as well as the user-info part.
void redact_query_password(std::string& url, std::size_t query_start) {
  std::size_t begin = query_start;
  while (begin < url.size()) {
    auto end = url.find('&', begin);
    if (end == std::string::npos) end = url.size();
    std::string_view parameter(url.data() + begin, end - begin);
    if (parameter.rfind("password=", 0) == 0) {
      auto value = begin + 9;
      url.replace(value, end - value, "***");
      end = value + 3;
    }
    begin = end + 1;
  }
}

}  // namespace

std::string redact_database_url(const std::string& url) {
  auto scheme_end = url.find("://");
  // A file path, or a SQLite URL whose "user-info" would be part of a file name.
  if (scheme_end == std::string::npos || url.compare(0, scheme_end, "sqlite") == 0) return url;
  std::string redacted = url;
  auto authority = scheme_end + 3;
  // Like libpq, the user-info part ends at the first '@' or '/'; its password after the first ':'.
  auto user_info_end = redacted.find_first_of("@/", authority);
  std::size_t host = authority;
  if (user_info_end != std::string::npos && redacted[user_info_end] == '@') {
    auto colon = redacted.find(':', authority);
    if (colon < user_info_end) {
      redacted.replace(colon + 1, user_info_end - colon - 1, "***");
      user_info_end = colon + 4;
    }
    host = user_info_end + 1;
  }
  if (auto query = redacted.find('?', host); query != std::string::npos)
    redact_query_password(redacted, query + 1);
  return redacted;
}

}  // namespace workflow::detail
