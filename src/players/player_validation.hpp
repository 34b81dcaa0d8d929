#pragma once
// The rules a master profile obeys, as pure functions (no I/O, no clock): each throws
// ValidationError whose field() names the offending field. PlayerService calls them inside its
// write transaction, after the permission check and before any row is written.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/core/time.hpp"
#include "pitboss/players/player.hpp"

namespace pitboss::players {

inline constexpr std::size_t kMaxExternalIdLength = 128;
inline constexpr std::size_t kMaxLabelLength = 128;  // traffic_source, affiliate_id
inline constexpr std::size_t kMaxEmailLength = 254;
inline constexpr std::size_t kMaxTagLength = 40;
inline constexpr std::size_t kMaxTags = 50;
inline constexpr std::size_t kMaxBrandLength = 40;
inline constexpr std::size_t kMaxReasonLength = 500;
inline constexpr int kMinimumAge = 18;

/// 1-128 visible ASCII characters (0x21-0x7E: no spaces, no control characters).
void validate_external_id(std::string_view external_id);
/// 1-40 of [a-z0-9_-].
void validate_brand(std::string_view brand);
/// One of the 249 assigned ISO 3166-1 alpha-2 codes, upper case.
void validate_country(std::string_view country);
/// A real date, not after `today`, on or after 1900-01-01, and at least 18 years before `today`
/// (a player whose 18th birthday is `today` is accepted).
void validate_birth_date(Date birth_date, Date today);
/// local@domain.tld: at most 254 characters, one '@', no spaces; local part 1-64 characters of
/// RFC 5322 atext and non-adjacent dots; domain labels of letters, digits and inner hyphens;
/// an alphabetic top-level domain of 2 or more letters.
void validate_email(std::string_view email);
/// E.164: '+' then 7-15 digits, the first not 0.
void validate_phone(std::string_view phone);
/// A known ISO 4217 code (Currency::is_known).
void validate_currency(std::string_view currency);
/// An ISO 639-1 code, two lower-case letters.
void validate_language(std::string_view language);
/// Free-text labels (traffic_source, affiliate_id): 1-128 printable ASCII characters, without
/// leading or trailing spaces.
void validate_label(std::string_view field, std::string_view value);
/// Tags: each 1-40 of [a-z0-9_-], at most 50 distinct; returns them sorted and deduplicated.
[[nodiscard]] std::vector<std::string> normalize_tags(std::vector<std::string> tags);
/// A status-change reason: 1-500 characters, not only spaces, no control characters.
void validate_reason(std::string_view reason);

/// Validates every field of a registration at time `now` (age is counted on now's UTC date; a
/// registered_at after `now` is refused); returns the input with tags normalised.
[[nodiscard]] NewPlayer validated(NewPlayer input, Timestamp now);
/// Validates the fields an update sets; an empty string is allowed (it clears) for the
/// nullable fields email, phone, traffic_source and affiliate_id. Returns the update with tags
/// normalised.
[[nodiscard]] PlayerUpdate validated(PlayerUpdate update, Timestamp now);

}  // namespace pitboss::players
