// Percent-decoding of request targets (RFC 3986 section 2.1), ours rather than the HTTP library's:
// the server splits a raw path on `/` before decoding, so a run ID may carry an encoded `/`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace workflow::ops {

/// Decodes `%XX` escapes (hex digits in either case). With `plus_is_space` (query strings, as
/// HTML forms encode them) `+` is a space. Returns nothing for a `%` not followed by two hex
/// digits: such a target was not produced by any encoder and is refused, not guessed at.
/// The result may hold any byte, NUL included; callers check what they accept.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

}  // namespace workflow::ops
