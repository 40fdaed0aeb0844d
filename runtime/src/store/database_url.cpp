// Database URLs as libpq reads them, and as messages show them: the password is never printed.
#include "store/journal_store.hpp"

#include <string_view>

namespace workflow::detail {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The value of every `password` query parameter, which libpq accepts as well as the user-info
// part, under any spelling libpq decodes to that name (`p%61ssword`).
void redact_query_password(std::string& url, std::size_t query_start) {
  std::size_t begin = query_start;
  while (begin < url.size()) {
    auto end = url.find('&', begin);
    if (end == std::string::npos) end = url.size();
    std::string_view parameter(url.data() + begin, end - begin);
    auto equals = parameter.find('=');
    if (equals != std::string_view::npos && percent_decode(parameter.substr(0, equals)) == "password") {
      auto value = begin + equals + 1;
      url.replace(value, end - value, "***");
      end = value + 3;
    }
    begin = end + 1;
  }
}

}  // namespace

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

std::size_t database_url_query(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string_view::npos;
  auto authority = scheme_end + 3;
  // Like libpq, the user-info part ends at the first '@' or '/': a '?' in a password is no query.
  auto user_info_end = url.find_first_of("@/", authority);
  auto host = user_info_end != std::string_view::npos && url[user_info_end] == '@' ? user_info_end + 1 : authority;
  return url.find('?', host);
}

std::string redact_database_url(const std::string& url) {
  auto scheme_end = url.find("://");
  // A file path, or a SQLite URL whose "user-info" would be part of a file name.
  if (scheme_end == std::string::npos || url.compare(0, scheme_end, "sqlite") == 0) return url;
  std::string redacted = url;
  auto authority = scheme_end + 3;
  // The password is the user-info after its first ':' (see database_url_query).
  auto user_info_end = redacted.find_first_of("@/", authority);
  if (user_info_end != std::string::npos && redacted[user_info_end] == '@') {
    auto colon = redacted.find(':', authority);
    if (colon < user_info_end) redacted.replace(colon + 1, user_info_end - colon - 1, "***");
  }
  if (auto query = database_url_query(redacted); query != std::string::npos)
    redact_query_password(redacted, query + 1);
  return redacted;
}

}  // namespace workflow::detail
