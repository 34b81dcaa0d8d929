#pragma once
// Exact amounts of the event format: a decimal string or a JSON number literal, never a double.

#include <string>
#include <string_view>

#include "pitboss/core/money.hpp"

namespace pitboss::events::detail {

/// The plain decimal form of a JSON number literal with an exponent, moving the decimal point
/// exactly ("2.50e1" -> "25.0", "1e2" -> "100", "15e-1" -> "1.5"); a literal without exponent
/// is returned as is. Throws ValidationError("amount") when |exponent| > kMaxAmountExponent.
[[nodiscard]] std::string expand_exponent(std::string_view literal);

/// Largest exponent magnitude accepted in a number amount.
inline constexpr int kMaxAmountExponent = 30;

/// Parses a non-negative decimal amount in `currency` (Money::parse rules, then no minus sign);
/// throws ValidationError("amount").
[[nodiscard]] Money parse_non_negative_amount(std::string_view decimal, Currency currency);

}  // namespace pitboss::events::detail
