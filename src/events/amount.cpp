#include "events/amount.hpp"

#include "core/text.hpp"
#include "pitboss/core/error.hpp"

namespace pitboss::events::detail {

namespace {

/// Reads the exponent digits after 'e'/'E' (JSON grammar already checked).
int exponent_value(std::string_view digits, bool negative, std::string_view literal) {
    int value = 0;
    for (char c : digits) {
        value = value * 10 + (c - '0');
        if (value > kMaxAmountExponent) {
            throw ValidationError("amount", pitboss::detail::shorten_for_message(literal) +
                                                " has an exponent beyond +/-" +
                                                std::to_string(kMaxAmountExponent));
        }
    }
    return negative ? -value : value;
}

std::string strip_leading_zeros(std::string integer) {
    const auto first = integer.find_first_not_of('0');
    if (first == std::string::npos) return "0";
    return integer.substr(first);
}

}  // namespace

std::string expand_exponent(std::string_view literal) {
    const auto e = literal.find_first_of("eE");
    if (e == std::string_view::npos) return std::string(literal);
    std::string_view mantissa = literal.substr(0, e);
    std::string_view exponent = literal.substr(e + 1);
    const bool negative_exponent = !exponent.empty() && exponent.front() == '-';
    if (!exponent.empty() && (exponent.front() == '-' || exponent.front() == '+')) {
        exponent.remove_prefix(1);
    }
    const int shift = exponent_value(exponent, negative_exponent, literal);

    std::string sign;
    if (!mantissa.empty() && mantissa.front() == '-') {
        sign = "-";
        mantissa.remove_prefix(1);
    }
    const auto point = mantissa.find('.');
    const std::string_view integer = mantissa.substr(0, point);
    const std::string_view fraction =
        point == std::string_view::npos ? std::string_view() : mantissa.substr(point + 1);
    std::string digits = std::string(integer) + std::string(fraction);
    const long new_point = static_cast<long>(integer.size()) + shift;

    if (new_point <= 0) {
        return sign + "0." + std::string(static_cast<std::size_t>(-new_point), '0') + digits;
    }
    const auto at = static_cast<std::size_t>(new_point);
    if (at >= digits.size()) {
        digits.append(at - digits.size(), '0');
        return sign + strip_leading_zeros(std::move(digits));
    }
    return sign + strip_leading_zeros(digits.substr(0, at)) + "." + digits.substr(at);
}

Money parse_non_negative_amount(std::string_view decimal, Currency currency) {
    const Money amount = Money::parse(decimal, currency, "amount");
    if (!decimal.empty() && decimal.front() == '-') {
        throw ValidationError("amount", pitboss::detail::shorten_for_message(decimal) +
                                            " is negative; amounts must be >= 0");
    }
    return amount;
}

}  // namespace pitboss::events::detail
