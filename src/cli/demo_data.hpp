#pragma once
// What the simulated casino is made of: weighted markets with their currencies, languages and
// phone plans, names, traffic sources and marketing habits. Pure data and one generator.

#include <cstdint>
#include <string_view>

#include "cli/demo_random.hpp"
#include "pitboss/players/player.hpp"

namespace pitboss::cli {

/// A spoken language of a market and its share of players (weights).
struct LanguageShare {
    std::string_view code;
    int weight;
};

/// One market the casino takes players from.
struct Market {
    std::string_view country;
    int weight;  ///< share of registrations
    std::string_view currency;
    std::string_view calling_code;   ///< E.164 country code, e.g. "49"
    int subscriber_digits;           ///< digits after the calling code
    std::string_view mobile_prefix;  ///< first digits of a mobile number, e.g. "15"
    std::span<const LanguageShare> languages;
    std::string_view mail_domain;  ///< the local mail provider's domain
};

/// Every market, in a fixed order.
[[nodiscard]] std::span<const Market> markets();

/// A realistic registration for the `index`-th demo player (external id "P" + 100000+index),
/// adult on `today`; brand, market, names, consents, traffic and tags drawn from `random`.
[[nodiscard]] players::NewPlayer make_demo_player(DemoRandom& random, std::int64_t index,
                                                  Date today);

/// The external id of the `index`-th demo player ("P100001" for index 1).
[[nodiscard]] std::string demo_external_id(std::int64_t index);

}  // namespace pitboss::cli
