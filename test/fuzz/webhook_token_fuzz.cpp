// Fuzz target webhook_token: the token in a webhook URL (`POST /hooks/<token>`, anything a client
// sends, and TestEnvironment::post_webhook's argument), and the token derivation.
//
// Invariants: webhook_token_of never throws; what it finds is a well-formed token (43 base64url
// characters) that occurs in the input; a well-formed token is found in itself, in its path and in
// a URL ending in its path with a query; the input split into fields derives a well-formed token,
// the same every time, that changes with the nonce; SHA-256 hashes are 64 lowercase hex digits.
#include "fuzz_check.hpp"

#include "engine/webhook_token.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using namespace workflow::detail;

bool is_lower_hex(std::string_view text) {
  for (char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

void check_found_in(std::string_view text) {
  auto token = webhook_token_of(text);
  if (!token) return;
  WORKFLOW_FUZZ_CHECK(is_webhook_token(*token));
  WORKFLOW_FUZZ_CHECK(text.find(*token) != std::string_view::npos);
  auto hash = webhook_token_hash(*token);
  WORKFLOW_FUZZ_CHECK(hash.size() == 64 && is_lower_hex(hash));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  check_found_in(text);

  // Fields split at NUL bytes: secret, run ID, correlation ID, nonce.
  std::string_view fields[4];
  std::string_view rest = text;
  for (auto& field : fields) {
    auto end = rest.find('\0');
    field = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  }
  auto token = derive_webhook_token(fields[0], fields[1], 1, fields[2], fields[3]);
  WORKFLOW_FUZZ_CHECK(is_webhook_token(token));
  WORKFLOW_FUZZ_CHECK(token == derive_webhook_token(fields[0], fields[1], 1, fields[2], fields[3]));
  WORKFLOW_FUZZ_CHECK(token != derive_webhook_token(fields[0], fields[1], 1, fields[2], std::string(fields[3]) + "x"));
  WORKFLOW_FUZZ_CHECK(token != derive_webhook_token(fields[0], fields[1], 2, fields[2], fields[3]));
  WORKFLOW_FUZZ_CHECK(webhook_token_of(token) == token);
  WORKFLOW_FUZZ_CHECK(webhook_token_of(webhook_path(token)) == token);
  WORKFLOW_FUZZ_CHECK(webhook_token_of("https://hooks.example.com" + webhook_path(token) + "?x=/hooks/y") == token);
  check_found_in(std::string(text) + webhook_path(token));
  return 0;
}
