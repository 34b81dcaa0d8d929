#pragma once
/// @file
/// Base32 (RFC 4648 section 6), the text form of TOTP secrets.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pitboss::access {

/// Encodes with the upper-case RFC 4648 alphabet; `pad` appends '=' to a multiple of 8 chars.
[[nodiscard]] std::string base32_encode(std::span<const std::uint8_t> data, bool pad = true);

/// Decodes Base32, case-insensitively, with or without '=' padding.
///
/// Strict otherwise: throws ValidationError naming `field` on a character outside the alphabet
/// (whitespace included), an impossible length, misplaced padding, or non-zero trailing bits
/// (so each byte string has exactly one accepted spelling, up to case and padding).
[[nodiscard]] std::vector<std::uint8_t> base32_decode(std::string_view text,
                                                      std::string_view field = "base32");

}  // namespace pitboss::access
