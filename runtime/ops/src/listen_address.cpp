// See listen_address.hpp.
#include "listen_address.hpp"

#include "error_report.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

namespace workflow::ops {

ListenAddress parse_listen_address(const std::string& text) {
  auto refuse = [&](const std::string& why) {
    return BadRequest("--listen wants host:port or [ipv6]:port, not '" + text + "': " + why);
  };
  ListenAddress address;
  std::string port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string::npos) throw refuse("the '[' has no ']'");
    address.host = text.substr(1, close - 1);
    in6_addr v6{};
    if (inet_pton(AF_INET6, address.host.c_str(), &v6) != 1) throw refuse("'" + address.host + "' is not an IPv6 address");
    if (close + 1 >= text.size() || text[close + 1] != ':') throw refuse("a ':' and a port must follow ']'");
    port = text.substr(close + 2);
  } else {
    auto colon = text.find(':');
    if (colon == std::string::npos) throw refuse("no port");
    if (text.find(':', colon + 1) != std::string::npos) throw refuse("an IPv6 address goes in brackets");
    address.host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (address.host.empty()) throw refuse("no host (e.g. 127.0.0.1:8080)");
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
    throw refuse("the port must be a number from 0 to 65535");
  address.port = std::stoi(port);
  if (address.port > 65535) throw refuse("the port must be a number from 0 to 65535");
  return address;
}

std::string url_host(const std::string& host) {
  return host.find(':') == std::string::npos ? host : "[" + host + "]";
}

bool is_loopback(std::string host) {
  if (host == "localhost") return true;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

}  // namespace workflow::ops
