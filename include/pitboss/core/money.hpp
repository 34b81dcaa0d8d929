#pragma once
/// @file
/// Money as integer minor units with an ISO-4217 currency. Never a double.

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace pitboss {

/// An ISO-4217 currency: its three-letter code and its number of minor digits (EUR 2, JPY 0,
/// BHD 3). Only codes in the built-in table are accepted: ISO-4217 List One currencies and
/// funds with a numeric minor unit (no precious metals, XDR, test codes or crypto).
class Currency {
public:
    /// Looks up a code ("EUR"); throws ValidationError(field) when it is not an ISO-4217 code.
    /// Codes are exactly 3 upper-case letters: "eur" is rejected (the message suggests "EUR").
    static Currency of(std::string_view code, std::string_view field = "currency");
    /// True when `code` is a known ISO-4217 code.
    [[nodiscard]] static bool is_known(std::string_view code) noexcept;

    /// The three-letter code.
    [[nodiscard]] std::string_view code() const noexcept { return {code_, 3}; }
    /// Digits after the decimal point in the minor unit.
    [[nodiscard]] int minor_digits() const noexcept { return minor_digits_; }

    /// Same code (the minor digits follow from it).
    friend bool operator==(const Currency& a, const Currency& b) noexcept {
        return std::string_view(a.code_, 3) == std::string_view(b.code_, 3);
    }

private:
    Currency(std::string_view code, int minor_digits) noexcept;
    char code_[3];
    int minor_digits_;
};

/// An amount of one currency in integer minor units (cents). Arithmetic and ordering refuse
/// mixed currencies (ValidationError) and overflow (ValidationError).
class Money {
public:
    /// Builds from minor units: Money(1234, EUR) is 12.34 EUR.
    Money(std::int64_t minor_units, Currency currency) noexcept
        : minor_(minor_units), currency_(currency) {}

    /// Parses a decimal string exactly ("12.34", "-5", "0.5"); more decimals than the currency
    /// has, exponents, spaces or other characters are a ValidationError naming `field`.
    ///
    /// Grammar: ['-'] digit+ ['.' digit{1,minor_digits}]. Rejected: "", "+5", ".5", "5.",
    /// "1e3", " 5", "1,000", "12.340" for EUR (3 decimals), and anything beyond int64 minor units.
    static Money parse(std::string_view text, Currency currency, std::string_view field = "amount");
    /// Zero of a currency.
    static Money zero(Currency currency) noexcept { return Money(0, currency); }

    /// Minor units (cents).
    [[nodiscard]] std::int64_t minor_units() const noexcept { return minor_; }
    /// The currency.
    [[nodiscard]] Currency currency() const noexcept { return currency_; }
    /// Decimal text without currency, with exactly minor_digits decimals: "12.34", "-0.05".
    [[nodiscard]] std::string to_decimal_string() const;
    /// Decimal text followed by the code: "12.34 EUR".
    [[nodiscard]] std::string to_string() const;
    /// True below zero, e.g. a debt or a reversal.
    [[nodiscard]] bool is_negative() const noexcept { return minor_ < 0; }
    /// True for exactly zero.
    [[nodiscard]] bool is_zero() const noexcept { return minor_ == 0; }

    /// The opposite amount; throws ValidationError on overflow.
    Money operator-() const;
    /// Adds an amount of the same currency; throws ValidationError on mixing or overflow.
    Money& operator+=(const Money& other);
    /// Subtracts an amount of the same currency; throws ValidationError on mixing or overflow.
    Money& operator-=(const Money& other);
    /// Sum of two amounts of one currency; throws ValidationError on mixing or overflow.
    friend Money operator+(Money a, const Money& b) { return a += b; }
    /// Difference of two amounts of one currency; throws ValidationError on mixing or overflow.
    friend Money operator-(Money a, const Money& b) { return a -= b; }
    /// Multiplies by an integer count; throws ValidationError on overflow.
    [[nodiscard]] Money times(std::int64_t factor) const;

    /// Same currency and same minor units; never throws, mixed currencies are just unequal.
    friend bool operator==(const Money& a, const Money& b) noexcept {
        return a.currency_ == b.currency_ && a.minor_ == b.minor_;
    }
    /// Orders two amounts of one currency; throws ValidationError on mixed currencies.
    friend std::strong_ordering operator<=>(const Money& a, const Money& b);

private:
    std::int64_t minor_;
    Currency currency_;
};

}  // namespace pitboss
