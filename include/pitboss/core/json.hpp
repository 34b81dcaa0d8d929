#pragma once
/// @file
/// JSON conversions for the core vocabulary (nlohmann::json is pitboss's JSON type).

#include <nlohmann/json.hpp>

#include "pitboss/core/error.hpp"
#include "pitboss/core/id.hpp"
#include "pitboss/core/money.hpp"
#include "pitboss/core/time.hpp"

namespace pitboss {

/// pitboss's JSON value type; callers need no other JSON library.
using Json = nlohmann::json;

/// Money as {"amount": "12.34", "currency": "EUR"} (amount a decimal string, never a float).
[[nodiscard]] Json money_to_json(const Money& m);
/// Reads {"amount": "12.34" | 12.34, "currency": "EUR"}; a JSON number is read from its
/// shortest decimal text, exactly. Throws ValidationError naming `field` (for the amount or a
/// value that is not an object) or `field` + ".currency". Other keys are ignored.
[[nodiscard]] Money money_from_json(const Json& j, std::string_view field = "amount");
/// Reads a JSON string or number as an exact amount of `currency`: a string goes through
/// Money::parse; a number through its shortest decimal text, never through double arithmetic
/// (25.1 is 2510 cents; 1e2 is 100; 12.345 is rejected for EUR). Throws ValidationError(field).
[[nodiscard]] Money amount_from_json(const Json& j, Currency currency,
                                     std::string_view field = "amount");

/// Serialises canonically: keys sorted, no spaces, UTF-8; the same value always gives the same
/// bytes (used for hashing).
///
/// Keys sort by their UTF-8 bytes; strings keep non-ASCII characters as they are and escape only
/// '"', '\\' and control characters. A float prints in its shortest round-trip form ("25.1",
/// "1e-07"), which is deterministic for a given double; an integer prints as digits, so 1 and
/// 1.0 stay distinct. Throws ValidationError("json") for NaN, infinity, binary values and
/// strings that are not valid UTF-8, which have no canonical form.
[[nodiscard]] std::string canonical_json(const Json& j);

}  // namespace pitboss

/// @cond INTERNAL
namespace nlohmann {
/// Timestamps as RFC 3339 UTC text.
template <>
struct adl_serializer<pitboss::Timestamp> {
    static void to_json(json& j, const pitboss::Timestamp& t) { j = pitboss::format_timestamp(t); }
    static void from_json(const json& j, pitboss::Timestamp& t) {
        if (!j.is_string()) {
            throw pitboss::ValidationError("timestamp", "must be an RFC 3339 string");
        }
        t = pitboss::parse_timestamp(j.get_ref<const std::string&>());
    }
};
/// Money as {"amount": "12.34", "currency": "EUR"} (see pitboss::money_to_json).
template <>
struct adl_serializer<pitboss::Money> {
    static void to_json(json& j, const pitboss::Money& m) { j = pitboss::money_to_json(m); }
    static pitboss::Money from_json(const json& j) { return pitboss::money_from_json(j); }
};
/// Strong ids as JSON integers.
template <class Tag>
struct adl_serializer<pitboss::StrongId<Tag>> {
    static void to_json(json& j, const pitboss::StrongId<Tag>& id) { j = id.value(); }
    static void from_json(const json& j, pitboss::StrongId<Tag>& id) {
        id = pitboss::StrongId<Tag>(j.get<std::int64_t>());
    }
};
}  // namespace nlohmann
/// @endcond
