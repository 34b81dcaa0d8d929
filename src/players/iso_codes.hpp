#pragma once
// Lookup tables of the ISO code lists the player profile uses.

#include <string_view>

namespace pitboss::players {

/// True for one of the 249 assigned ISO 3166-1 alpha-2 codes (upper case, e.g. "DE").
[[nodiscard]] bool is_iso_country(std::string_view code) noexcept;
/// Number of entries in the country table (249).
[[nodiscard]] std::size_t iso_country_count() noexcept;

/// True for an ISO 639-1 two-letter language code (lower case, e.g. "de").
[[nodiscard]] bool is_iso_language(std::string_view code) noexcept;
/// Number of entries in the language table.
[[nodiscard]] std::size_t iso_language_count() noexcept;

}  // namespace pitboss::players
