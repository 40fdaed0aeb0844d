// `wf serve --listen`: the address the server binds, parsed strictly, and the loopback test that
// decides whether a token is required and which Host headers the browser rules accept.
#pragma once

#include <string>

namespace workflow::ops {

struct ListenAddress {
  /// An IPv4 literal, an IPv6 literal without brackets, or a host name.
  std::string host;
  int port = 0;
};

/// Parses `host:port` or `[ipv6]:port`; the port is 0-65535 in decimal digits and nothing else
/// (`8080x` and `+80` are refused). Throws BadRequest saying what is wrong.
ListenAddress parse_listen_address(const std::string& text);

/// `host` as it goes in a URL: IPv6 literals in brackets.
std::string url_host(const std::string& host);

/// A numeric loopback address (127.0.0.0/8, ::1; IPv6 in brackets or not) or `localhost`: names
/// other than that could resolve anywhere.
bool is_loopback(std::string host);

}  // namespace workflow::ops
