// Webhook tokens on OpenSSL's libcrypto: see webhook_token.hpp.
#include "engine/webhook_token.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace workflow::detail {
namespace {

std::string base64url(const unsigned char* data, std::size_t size) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((size * 4 + 2) / 3);
  for (std::size_t i = 0; i < size; i += 3) {
    std::uint32_t chunk = std::uint32_t{data[i]} << 16;
    if (i + 1 < size) chunk |= std::uint32_t{data[i + 1]} << 8;
    if (i + 2 < size) chunk |= data[i + 2];
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    if (i + 1 < size) out += kAlphabet[(chunk >> 6) & 63];
    if (i + 2 < size) out += kAlphabet[chunk & 63];
  }
  return out;
}

bool is_base64url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Each field is prefixed by its length, so no two different tuples give one message.
void add_field(std::string& message, std::string_view field) {
  message += std::to_string(field.size());
  message += ':';
  message += field;
}

}  // namespace

std::string random_base64url(std::size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1)
    throw std::runtime_error("the system's random generator failed (OpenSSL RAND_bytes)");
  return base64url(buffer.data(), buffer.size());
}

std::string derive_webhook_token(std::string_view secret, std::string_view run_id, int attempt,
                                 std::string_view correlation_id, std::string_view nonce) {
  std::string message;
  add_field(message, run_id);
  add_field(message, std::to_string(attempt));
  add_field(message, correlation_id);
  add_field(message, nonce);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
            reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length))
    throw std::runtime_error("HMAC-SHA256 failed (OpenSSL)");
  return base64url(digest, length);
}

std::string webhook_token_hash(std::string_view token) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!EVP_Digest(token.data(), token.size(), digest, &length, EVP_sha256(), nullptr))
    throw std::runtime_error("SHA-256 failed (OpenSSL)");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

bool is_webhook_token(std::string_view token) {
  if (token.size() != kWebhookTokenLength) return false;
  for (char c : token)
    if (!is_base64url(c)) return false;
  return true;
}

std::optional<std::string> webhook_token_of(std::string_view text) {
  text = text.substr(0, text.find_first_of("?#"));
  while (!text.empty() && text.back() == '/') text.remove_suffix(1);
  auto slash = text.rfind('/');
  auto token = slash == std::string_view::npos ? text : text.substr(slash + 1);
  if (slash != std::string_view::npos) {
    // A path or URL must say where the token goes: `.../hooks/<token>`.
    auto before = text.substr(0, slash);
    if (before.size() < 5 || before.substr(before.size() - 5) != "hooks" ||
        (before.size() > 5 && before[before.size() - 6] != '/'))
      return std::nullopt;
  }
  if (!is_webhook_token(token)) return std::nullopt;
  return std::string(token);
}

std::string webhook_path(std::string_view token) { return "/hooks/" + std::string(token); }

}  // namespace workflow::detail
