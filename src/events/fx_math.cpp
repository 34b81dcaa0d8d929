#include "events/fx_math.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

#include "pitboss/core/error.hpp"

namespace pitboss::events::detail {
namespace {

// __extension__: -Wpedantic knows no 128-bit integers; GCC and Clang have them on 64-bit targets.
__extension__ using Wide = unsigned __int128;

constexpr int kQuotedTextLimit = 40;

std::string quoted(std::string_view text) {
    if (text.size() > kQuotedTextLimit)
        return "\"" + std::string(text.substr(0, kQuotedTextLimit)) + "...\"";
    return "\"" + std::string(text) + "\"";
}

void check_rate(ExactRate rate) {
    if (rate.mantissa <= 0) throw ValidationError("rate", "must be positive");
    if (rate.scale < 0 || rate.scale > kMaxRateDecimals) {
        throw ValidationError("rate", "scale " + std::to_string(rate.scale) + " is outside 0.." +
                                          std::to_string(kMaxRateDecimals));
    }
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

}  // namespace

ExactRate parse_rate(std::string_view text, std::string_view field) {
    const std::string name(field);
    const std::size_t dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    const std::string_view fraction =
        dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
    const bool digits_only = std::all_of(whole.begin(), whole.end(), is_digit) &&
                             std::all_of(fraction.begin(), fraction.end(), is_digit);
    if (whole.empty() || !digits_only || (dot != std::string_view::npos && fraction.empty())) {
        throw ValidationError(name,
                              quoted(text) + " is not a decimal (digits with an optional '.')");
    }
    if (fraction.size() > static_cast<std::size_t>(kMaxRateDecimals)) {
        throw ValidationError(name, quoted(text) + " has more than " +
                                        std::to_string(kMaxRateDecimals) + " decimals");
    }
    std::int64_t mantissa = 0;
    int significant = 0;
    for (std::string_view part : {whole, fraction}) {
        for (char c : part) {
            if (significant == 0 && c == '0') continue;
            if (++significant > kMaxRateDigits) {
                throw ValidationError(name, quoted(text) + " has more than " +
                                                std::to_string(kMaxRateDigits) +
                                                " significant digits");
            }
            mantissa = mantissa * 10 + (c - '0');
        }
    }
    if (mantissa == 0) throw ValidationError(name, quoted(text) + " is not positive");
    return ExactRate{mantissa, static_cast<int>(fraction.size())};
}

std::string to_string(ExactRate rate) {
    std::string digits = std::to_string(rate.mantissa);
    const auto scale = static_cast<std::size_t>(rate.scale < 0 ? 0 : rate.scale);
    if (scale == 0) return digits;
    if (digits.size() <= scale) digits.insert(0, scale + 1 - digits.size(), '0');
    digits.insert(digits.size() - scale, 1, '.');
    return digits;
}

std::int64_t convert_minor(std::int64_t minor, Currency from, ExactRate from_rate, Currency to,
                           ExactRate to_rate) {
    check_rate(from_rate);
    check_rate(to_rate);
    // minor * m_from * 10^(digits(to) - digits(from) + scale_to - scale_from) / m_to, on
    // magnitudes. Bounds: |minor| <= 2^63 and mantissas < 2^63, so the numerator is < 2^126;
    // the exponent is within -16..16, so the denominator is < 2^63 * 10^16 < 2^117. A
    // positive exponent multiplies quotient and remainder step by step (long division), which
    // keeps every intermediate below 2^121.
    const int exponent = to.minor_digits() - from.minor_digits() + to_rate.scale - from_rate.scale;
    const bool negative = minor < 0;
    const Wide magnitude =
        negative ? static_cast<Wide>(-(minor + 1)) + 1 : static_cast<Wide>(minor);
    const Wide numerator = magnitude * static_cast<Wide>(from_rate.mantissa);
    Wide denominator = static_cast<Wide>(to_rate.mantissa);
    for (int i = exponent; i < 0; ++i) denominator *= 10;
    const Wide limit = negative ? Wide{1} << 63 : (Wide{1} << 63) - 1;
    auto overflow = [&] {
        return ValidationError("amount", "converting " + std::to_string(minor) +
                                             " minor units of " + std::string(from.code()) +
                                             " to " + std::string(to.code()) +
                                             " overflows the 64-bit minor-unit range");
    };

    Wide quotient = numerator / denominator;
    Wide remainder = numerator % denominator;
    for (int i = 0; i < exponent; ++i) {
        if (quotient > limit) throw overflow();
        remainder *= 10;
        quotient = quotient * 10 + remainder / denominator;
        remainder %= denominator;
    }
    const Wide twice = remainder * 2;
    if (twice > denominator || (twice == denominator && (quotient & 1) != 0)) ++quotient;
    if (quotient > limit) throw overflow();
    if (!negative) return static_cast<std::int64_t>(quotient);
    if (quotient == Wide{1} << 63) return std::numeric_limits<std::int64_t>::min();
    return -static_cast<std::int64_t>(quotient);
}

}  // namespace pitboss::events::detail
