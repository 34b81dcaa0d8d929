#pragma once
// Checks on the short texts of an audit entry (action, target): they are hashed, stored as
// TEXT on both backends and exported as JSON strings, so they must be valid UTF-8 without NUL.

#include <string_view>

namespace pitboss::audit::detail {

/// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or values past
/// U+10FFFF).
[[nodiscard]] bool is_valid_utf8(std::string_view text) noexcept;

/// Throws ValidationError(field) unless `text` is 1-256 bytes of UTF-8 without control
/// characters.
void check_label(std::string_view text, const char* field);

}  // namespace pitboss::audit::detail
