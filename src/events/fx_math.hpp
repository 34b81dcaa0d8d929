#pragma once
// Exact exchange-rate arithmetic for the events module: decimal rates as integers, conversion
// of minor units between currencies with one rounding (half to even), never a double.

#include <cstdint>
#include <string>
#include <string_view>

#include "pitboss/core/money.hpp"

namespace pitboss::events::detail {

/// A positive decimal rate, exactly: mantissa / 10^scale.
struct ExactRate {
    std::int64_t mantissa = 1;  ///< > 0, at most 18 significant digits
    int scale = 0;              ///< decimals, 0..kMaxRateDecimals
    /// Same mantissa and scale ("1.50" and "1.5" differ; the value is the same).
    friend bool operator==(const ExactRate&, const ExactRate&) = default;
};

/// Most decimals a rate may have.
inline constexpr int kMaxRateDecimals = 12;
/// Most significant digits (leading zeros excluded) a rate may have.
inline constexpr int kMaxRateDigits = 18;

/// Parses a positive decimal: digit+ ['.' digit{1,12}], at most 18 significant digits, not
/// zero. Throws ValidationError(field) otherwise.
[[nodiscard]] ExactRate parse_rate(std::string_view text, std::string_view field = "rate");

/// Decimal text with exactly `scale` decimals: {15, 1} is "1.5", {5, 3} is "0.005".
[[nodiscard]] std::string to_string(ExactRate rate);

/// Converts `minor` units of `from` into minor units of `to`. Rates are units of the base
/// currency per unit of the currency (the base itself has rate 1):
///   result = minor * 10^(digits(to) - digits(from)) * from_rate / to_rate,
/// computed exactly and rounded once, half to even. Throws ValidationError("amount") when the
/// result leaves the int64 range, ValidationError("rate") for a rate that is not positive or
/// has more than kMaxRateDecimals decimals.
[[nodiscard]] std::int64_t convert_minor(std::int64_t minor, Currency from, ExactRate from_rate,
                                         Currency to, ExactRate to_rate);

}  // namespace pitboss::events::detail
