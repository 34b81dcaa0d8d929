#include "pitboss/core/money.hpp"

#include <algorithm>
#include <array>
#include <limits>

#include "core/currency_table.hpp"
#include "core/text.hpp"
#include "pitboss/core/error.hpp"

namespace pitboss {

namespace {

using detail::kCurrencyTable;

static_assert(std::is_sorted(kCurrencyTable.begin(), kCurrencyTable.end(),
                             [](const auto& a, const auto& b) { return a.code < b.code; }),
              "the currency table must stay sorted for binary search");

constexpr std::array<std::int64_t, 5> kPowersOfTen = {1, 10, 100, 1000, 10000};
static_assert(std::all_of(kCurrencyTable.begin(), kCurrencyTable.end(),
                          [](const auto& row) {
                              return row.code.size() == 3 && row.minor_digits >= 0 &&
                                     row.minor_digits < static_cast<int>(kPowersOfTen.size());
                          }),
              "every code has 3 letters and at most 4 minor digits");

[[noreturn]] void reject(std::string_view field, const std::string& message) {
    throw ValidationError(std::string(field), message);
}

const detail::CurrencyRow* find_row(std::string_view code) noexcept {
    const auto* it =
        std::lower_bound(kCurrencyTable.begin(), kCurrencyTable.end(), code,
                         [](const auto& row, std::string_view c) { return row.code < c; });
    return it != kCurrencyTable.end() && it->code == code ? &*it : nullptr;
}

bool is_upper_ascii(char c) noexcept { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
unsigned digit_value(char c) noexcept { return static_cast<unsigned>(c - '0'); }

bool has_code_shape(std::string_view code) noexcept {
    return code.size() == 3 && std::all_of(code.begin(), code.end(), is_upper_ascii);
}

std::string upper_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
}

[[noreturn]] void reject_code_shape(std::string_view code, std::string_view field) {
    std::string message = detail::quote_for_message(code) +
                          " is not a currency code: expected 3 upper-case letters such as \"EUR\"";
    if (find_row(upper_ascii(code)) != nullptr) {
        message += " (did you mean \"" + upper_ascii(code) + "\"?)";
    }
    reject(field, message);
}

// --- parsing -------------------------------------------------------------------------------

/// A decimal amount split into its sign, integer digits and fraction digits (not yet checked).
struct DecimalParts {
    bool negative = false;
    bool has_point = false;
    std::string_view integer;
    std::string_view fraction;
};

DecimalParts split_decimal(std::string_view text) {
    DecimalParts parts;
    if (!text.empty() && text.front() == '-') {
        parts.negative = true;
        text.remove_prefix(1);
    }
    const auto point = text.find('.');
    parts.integer = text.substr(0, point);
    if (point != std::string_view::npos) {
        parts.has_point = true;
        parts.fraction = text.substr(point + 1);
    }
    return parts;
}

bool all_digits(std::string_view text) noexcept {
    return std::all_of(text.begin(), text.end(), is_digit);
}

std::string decimals_phrase(std::size_t count) {
    return std::to_string(count) + (count == 1 ? " decimal" : " decimals");
}

/// ".5" as it should have been written: "0.5" (or "-0.5"), shortened for a message.
std::string leading_zero_form(const DecimalParts& parts) {
    return (parts.negative ? "-0." : "0.") + detail::shorten_for_message(parts.fraction, 12);
}

void check_shape(std::string_view text, const DecimalParts& parts, std::string_view field) {
    if (text.empty()) reject(field, "is empty; expected a decimal amount such as \"12.34\"");
    // The quoted input is built only on failure: parsing valid amounts allocates nothing here.
    const auto fail = [&](const std::string& reason) {
        reject(field, detail::quote_for_message(text) + reason);
    };
    if (text.front() == '+') fail(" has a '+' sign; write positive amounts unsigned");
    if (!all_digits(parts.integer) || !all_digits(parts.fraction)) {
        fail(
            " is not a decimal amount: only digits, one '.' and a leading '-' are allowed"
            " (no spaces, exponents or separators)");
    }
    if (parts.integer.empty() && parts.has_point) {
        const std::string hint =
            parts.fraction.empty() ? "" : " (write \"" + leading_zero_form(parts) + "\")";
        fail(" needs a digit before the decimal point" + hint);
    }
    if (parts.integer.empty()) fail(" has no digits");
    if (parts.has_point && parts.fraction.empty()) fail(" needs digits after the decimal point");
}

void check_decimals(std::string_view text, const DecimalParts& parts, Currency currency,
                    std::string_view field) {
    const auto allowed = static_cast<std::size_t>(currency.minor_digits());
    if (parts.fraction.size() <= allowed) return;
    reject(field, detail::shorten_for_message(text) + " has " +
                      decimals_phrase(parts.fraction.size()) + ", " + std::string(currency.code()) +
                      " allows " + std::to_string(allowed));
}

/// Appends one decimal digit to `magnitude`; false when the result would exceed `limit`.
bool push_digit(std::uint64_t& magnitude, unsigned digit, std::uint64_t limit) noexcept {
    return !__builtin_mul_overflow(magnitude, 10U, &magnitude) &&
           !__builtin_add_overflow(magnitude, digit, &magnitude) && magnitude <= limit;
}

std::int64_t to_minor_units(std::string_view text, const DecimalParts& parts, Currency currency,
                            std::string_view field) {
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    const std::uint64_t limit = parts.negative ? kMax + 1 : kMax;
    const auto padding = static_cast<std::size_t>(currency.minor_digits()) - parts.fraction.size();
    std::uint64_t magnitude = 0;
    bool fits = true;
    for (char c : parts.integer) fits = fits && push_digit(magnitude, digit_value(c), limit);
    for (char c : parts.fraction) fits = fits && push_digit(magnitude, digit_value(c), limit);
    for (std::size_t i = 0; i < padding; ++i) fits = fits && push_digit(magnitude, 0U, limit);
    if (!fits) {
        reject(field, detail::shorten_for_message(text) + " is out of range for " +
                          std::string(currency.code()) + " (64-bit minor units)");
    }
    // Unsigned negation then a modular conversion (well defined in C++20) reaches INT64_MIN.
    return static_cast<std::int64_t>(parts.negative ? ~magnitude + 1U : magnitude);
}

// --- arithmetic ----------------------------------------------------------------------------

void require_same_currency(const Money& a, const Money& b, std::string_view what) {
    if (a.currency() == b.currency()) return;
    reject("currency", "cannot " + std::string(what) + " " + std::string(a.currency().code()) +
                           " and " + std::string(b.currency().code()) + ": mixed currencies");
}

[[noreturn]] void reject_overflow(const std::string& expression) {
    reject("amount", expression + " overflows the 64-bit minor-unit range");
}

}  // namespace

// --- Currency ----------------------------------------------------------------------------------

Currency::Currency(std::string_view code, int minor_digits) noexcept
    : code_{code[0], code[1], code[2]}, minor_digits_(minor_digits) {}

Currency Currency::of(std::string_view code, std::string_view field) {
    if (!has_code_shape(code)) reject_code_shape(code, field);
    const auto* row = find_row(code);
    if (row == nullptr) {
        reject(field, detail::quote_for_message(code) + " is not an ISO-4217 currency code");
    }
    return Currency(row->code, row->minor_digits);
}

bool Currency::is_known(std::string_view code) noexcept {
    return has_code_shape(code) && find_row(code) != nullptr;
}

// --- Money -------------------------------------------------------------------------------------

Money Money::parse(std::string_view text, Currency currency, std::string_view field) {
    const DecimalParts parts = split_decimal(text);
    check_shape(text, parts, field);
    check_decimals(text, parts, currency, field);
    return Money(to_minor_units(text, parts, currency, field), currency);
}

std::string Money::to_decimal_string() const {
    // Work on the magnitude as unsigned so INT64_MIN needs no special case.
    const auto raw = static_cast<std::uint64_t>(minor_);
    const std::uint64_t magnitude = minor_ < 0 ? ~raw + 1U : raw;
    const auto digits = static_cast<std::size_t>(currency_.minor_digits());
    const auto scale = static_cast<std::uint64_t>(kPowersOfTen.at(digits));
    std::string fraction = std::to_string(magnitude % scale);
    std::string out = minor_ < 0 ? "-" : "";
    out += std::to_string(magnitude / scale);
    if (digits == 0) return out;
    out += '.';
    out.append(digits - fraction.size(), '0');
    out += fraction;
    return out;
}

std::string Money::to_string() const {
    return to_decimal_string() + " " + std::string(currency_.code());
}

Money Money::operator-() const {
    std::int64_t negated = 0;
    if (__builtin_sub_overflow(std::int64_t{0}, minor_, &negated)) {
        reject_overflow("-(" + to_string() + ")");
    }
    return Money(negated, currency_);
}

Money& Money::operator+=(const Money& other) {
    require_same_currency(*this, other, "add");
    std::int64_t sum = 0;
    if (__builtin_add_overflow(minor_, other.minor_, &sum)) {
        reject_overflow(to_string() + " + " + other.to_string());
    }
    minor_ = sum;
    return *this;
}

Money& Money::operator-=(const Money& other) {
    require_same_currency(*this, other, "subtract");
    std::int64_t difference = 0;
    if (__builtin_sub_overflow(minor_, other.minor_, &difference)) {
        reject_overflow(to_string() + " - " + other.to_string());
    }
    minor_ = difference;
    return *this;
}

Money Money::times(std::int64_t factor) const {
    std::int64_t product = 0;
    if (__builtin_mul_overflow(minor_, factor, &product)) {
        reject_overflow(to_string() + " * " + std::to_string(factor));
    }
    return Money(product, currency_);
}

std::strong_ordering operator<=>(const Money& a, const Money& b) {
    require_same_currency(a, b, "compare");
    return a.minor_ <=> b.minor_;
}

}  // namespace pitboss
