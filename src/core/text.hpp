#pragma once
// Private helpers for composing error messages in the core module.

#include <string>
#include <string_view>

namespace pitboss::detail {

/// `text` in double quotes for an error message: control and non-ASCII bytes as \xNN, cut to
/// `max_chars` characters with "..." so hostile input cannot flood a log.
[[nodiscard]] std::string quote_for_message(std::string_view text, std::size_t max_chars = 32);

/// `text` cut to `max_chars` characters with "..." (for text already known to be printable).
[[nodiscard]] std::string shorten_for_message(std::string_view text, std::size_t max_chars = 40);

}  // namespace pitboss::detail
