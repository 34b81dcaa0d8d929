#include "pitboss/core/money.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "pitboss/core/error.hpp"
#include "validation_error_of.hpp"

using Catch::Matchers::Contains;
using pitboss::Currency;
using pitboss::Money;
using pitboss::testing::validation_error_of;

namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

const Currency kEur = Currency::of("EUR");
const Currency kUsd = Currency::of("USD");
const Currency kJpy = Currency::of("JPY");
const Currency kBhd = Currency::of("BHD");
const Currency kClf = Currency::of("CLF");

std::int64_t parse_minor(std::string_view text, Currency currency) {
    return Money::parse(text, currency).minor_units();
}

std::string parse_error(std::string_view text, Currency currency) {
    return validation_error_of([&] { (void)Money::parse(text, currency); }).what();
}

}  // namespace

// --- Currency --------------------------------------------------------------------------------

TEST_CASE("core: currencies carry their ISO-4217 minor digits", "[core]") {
    const std::vector<std::pair<const char*, int>> expected = {
        {"EUR", 2}, {"USD", 2}, {"GBP", 2}, {"CHF", 2}, {"SEK", 2}, {"HUF", 2}, {"BRL", 2},
        {"INR", 2}, {"CNY", 2}, {"ZAR", 2}, {"UAH", 2}, {"RUB", 2}, {"KZT", 2}, {"GEL", 2},
        {"JPY", 0}, {"KRW", 0}, {"ISK", 0}, {"CLP", 0}, {"VND", 0}, {"UGX", 0}, {"PYG", 0},
        {"XAF", 0}, {"XOF", 0}, {"BIF", 0}, {"BHD", 3}, {"KWD", 3}, {"OMR", 3}, {"JOD", 3},
        {"IQD", 3}, {"LYD", 3}, {"TND", 3}, {"CLF", 4}, {"UYW", 4}, {"UYI", 0},
    };
    for (const auto& [code, digits] : expected) {
        INFO(code);
        const Currency c = Currency::of(code);
        CHECK(c.code() == code);
        CHECK(c.minor_digits() == digits);
    }
}

TEST_CASE("core: the common trading currencies are all known", "[core]") {
    for (const char* code :
         {"EUR", "USD", "GBP", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK",
          "HUF", "RON", "BGN", "TRY", "BRL", "MXN", "ARS", "CLP", "COP", "PEN", "JPY", "CNY",
          "INR", "KRW", "HKD", "SGD", "ZAR", "NGN", "KES", "UAH", "RUB", "KZT", "GEL", "ILS",
          "AED", "SAR", "QAR", "KWD", "BHD", "OMR", "JOD", "TND", "XCG", "ZWG", "SLE", "VES"}) {
        INFO(code);
        CHECK(Currency::is_known(code));
    }
}

TEST_CASE("core: non-ISO, withdrawn and unitless codes are unknown", "[core]") {
    for (const char* code : {"BTC", "ETH", "USDT", "XAU", "XAG", "XDR", "XTS", "XXX", "HRK", "ZWL",
                             "DEM", "ABC", "eur", "Eur", "EU", "EURO", "", "E1R", "EU "}) {
        INFO(code);
        CHECK_FALSE(Currency::is_known(code));
    }
}

TEST_CASE("core: Currency::of rejects a lower-case code and suggests the right one", "[core]") {
    const auto e = validation_error_of([] { (void)Currency::of("eur"); });
    CHECK(e.field() == "currency");
    CHECK_THAT(e.what(), Contains("\"eur\"") && Contains("3 upper-case letters") &&
                             Contains("did you mean \"EUR\"?"));
}

TEST_CASE("core: Currency::of rejects malformed and unknown codes naming the field", "[core]") {
    for (const char* code : {"", "EU", "EURO", "E1R", " EUR", "EUR ", "€"}) {
        INFO(code);
        const auto e = validation_error_of([&] { (void)Currency::of(code, "player.currency"); });
        CHECK(e.field() == "player.currency");
        CHECK_THAT(e.what(), Contains("3 upper-case letters"));
    }
    const auto unknown = validation_error_of([] { (void)Currency::of("XYZ"); });
    CHECK(std::string(unknown.what()) == "currency: \"XYZ\" is not an ISO-4217 currency code");
    const auto crypto = validation_error_of([] { (void)Currency::of("BTC"); });
    CHECK_THAT(crypto.what(), Contains("not an ISO-4217"));
}

TEST_CASE("core: an error message escapes and shortens hostile currency input", "[core]") {
    const std::string hostile = std::string("\x01\n\"") + std::string(200, 'A');
    const std::string message = validation_error_of([&] { (void)Currency::of(hostile); }).what();
    CHECK_THAT(message, Contains("\\x01\\x0a\\x22"));
    CHECK(message.find('\n') == std::string::npos);
    CHECK(message.size() < 200);
}

TEST_CASE("core: currencies compare by code", "[core]") {
    CHECK(Currency::of("EUR") == kEur);
    CHECK_FALSE(kEur == kUsd);
}

// --- parsing ---------------------------------------------------------------------------------

TEST_CASE("core: Money::parse reads decimal text exactly", "[core]") {
    CHECK(parse_minor("12.34", kEur) == 1234);
    CHECK(parse_minor("-5", kEur) == -500);
    CHECK(parse_minor("0.5", kEur) == 50);
    CHECK(parse_minor("0.05", kEur) == 5);
    CHECK(parse_minor("1.2", kEur) == 120);
    CHECK(parse_minor("0", kEur) == 0);
    CHECK(parse_minor("-0", kEur) == 0);
    CHECK(parse_minor("-0.00", kEur) == 0);
    CHECK(parse_minor("007.10", kEur) == 710);
    CHECK(parse_minor("0.29", kEur) == 29);  // 0.29 * 100 is 28.999... in binary floating point
    CHECK(parse_minor("1500", kJpy) == 1500);
    CHECK(parse_minor("-1", kJpy) == -1);
    CHECK(parse_minor("1.234", kBhd) == 1234);
    CHECK(parse_minor("0.001", kBhd) == 1);
    CHECK(parse_minor("1.5", kBhd) == 1500);
    CHECK(parse_minor("1.2345", kClf) == 12345);
    CHECK(parse_minor("-0.0001", kClf) == -1);
    CHECK(Money::parse("12.34", kEur).currency() == kEur);
}

TEST_CASE("core: Money::parse rejects more decimals than the currency has", "[core]") {
    CHECK(parse_error("12.345", kEur) == "amount: 12.345 has 3 decimals, EUR allows 2");
    CHECK(parse_error("12.340", kEur) == "amount: 12.340 has 3 decimals, EUR allows 2");
    CHECK(parse_error("5.0", kJpy) == "amount: 5.0 has 1 decimal, JPY allows 0");
    CHECK(parse_error("1.2345", kBhd) == "amount: 1.2345 has 4 decimals, BHD allows 3");
    CHECK(parse_error("0.00001", kClf) == "amount: 0.00001 has 5 decimals, CLF allows 4");
}

TEST_CASE("core: Money::parse rejects every malformed shape with a clear reason", "[core]") {
    CHECK_THAT(parse_error("", kEur), Contains("amount: is empty"));
    CHECK_THAT(parse_error("+5", kEur), Contains("'+' sign"));
    CHECK_THAT(parse_error(".5", kEur),
               Contains("digit before the decimal point") && Contains("write \"0.5\""));
    CHECK_THAT(parse_error("-.5", kEur), Contains("digit before the decimal point"));
    CHECK_THAT(parse_error("5.", kEur), Contains("digits after the decimal point"));
    CHECK_THAT(parse_error("-", kEur), Contains("has no digits"));
    CHECK_THAT(parse_error(".", kEur), Contains("digit before the decimal point"));
    for (const char* bad : {"1e3",   "1E3",       "1.5e2", " 5",           "5 ",    "5\t",  "1,000",
                            "1 000", "1.2.3",     "--5",   "-+5",          "5-",    "0x10", "NaN",
                            "inf",   "12.34 EUR", "€5",    "\u0661\u0662", "1_000", "1'000"}) {
        INFO(bad);
        CHECK_THAT(parse_error(bad, kEur), Contains("is not a decimal amount"));
    }
}

TEST_CASE("core: Money::parse rejects an embedded NUL byte", "[core]") {
    using namespace std::string_view_literals;
    CHECK_THAT(parse_error("5\0"sv, kEur), Contains("\\x00"));
}

TEST_CASE("core: Money::parse names the field it was given", "[core]") {
    const auto e = validation_error_of([] { (void)Money::parse("abc", kEur, "stake"); });
    CHECK(e.field() == "stake");
    CHECK_THAT(e.what(), Contains("stake: \"abc\""));
}

TEST_CASE("core: Money::parse reaches the int64 limits exactly and no further", "[core]") {
    CHECK(parse_minor("92233720368547758.07", kEur) == kMax);
    CHECK(parse_minor("-92233720368547758.08", kEur) == kMin);
    CHECK(parse_minor("9223372036854775807", kJpy) == kMax);
    CHECK(parse_minor("-9223372036854775808", kJpy) == kMin);
    CHECK(parse_minor("922337203685477.5807", kClf) == kMax);
    CHECK(parse_minor("0000000000000000000000000001.00", kEur) == 100);

    CHECK_THAT(parse_error("92233720368547758.08", kEur), Contains("out of range for EUR"));
    CHECK_THAT(parse_error("-92233720368547758.09", kEur), Contains("out of range"));
    CHECK_THAT(parse_error("92233720368547759", kEur), Contains("out of range"));
    CHECK_THAT(parse_error("9223372036854775808", kJpy), Contains("out of range"));
    CHECK_THAT(parse_error("-9223372036854775809", kJpy), Contains("out of range"));
    CHECK_THAT(parse_error("18446744073709551616", kJpy), Contains("out of range"));
    CHECK_THAT(parse_error(std::string(400, '9'), kJpy), Contains("out of range"));
}

TEST_CASE("core: a long amount is shortened in the error message", "[core]") {
    const std::string message = parse_error(std::string(5000, '9'), kJpy);
    CHECK(message.size() < 120);
    CHECK_THAT(message, Contains("..."));
}

// --- formatting ------------------------------------------------------------------------------

TEST_CASE("core: to_decimal_string writes exactly the currency's decimals", "[core]") {
    CHECK(Money(1234, kEur).to_decimal_string() == "12.34");
    CHECK(Money(-5, kEur).to_decimal_string() == "-0.05");
    CHECK(Money(-100, kEur).to_decimal_string() == "-1.00");
    CHECK(Money(0, kEur).to_decimal_string() == "0.00");
    CHECK(Money(7, kEur).to_decimal_string() == "0.07");
    CHECK(Money(1500, kJpy).to_decimal_string() == "1500");
    CHECK(Money(-3, kJpy).to_decimal_string() == "-3");
    CHECK(Money(1, kBhd).to_decimal_string() == "0.001");
    CHECK(Money(-12345, kClf).to_decimal_string() == "-1.2345");
    CHECK(Money(kMax, kEur).to_decimal_string() == "92233720368547758.07");
    CHECK(Money(kMin, kEur).to_decimal_string() == "-92233720368547758.08");
    CHECK(Money(kMin, kJpy).to_decimal_string() == "-9223372036854775808");
    CHECK(Money(kMin, kClf).to_decimal_string() == "-922337203685477.5808");
}

TEST_CASE("core: to_string appends the currency code", "[core]") {
    CHECK(Money(1234, kEur).to_string() == "12.34 EUR");
    CHECK(Money(-1, kBhd).to_string() == "-0.001 BHD");
    CHECK(Money::zero(kJpy).to_string() == "0 JPY");
}

TEST_CASE("core: parse and to_decimal_string round-trip at every scale", "[core]") {
    const std::vector<std::int64_t> values = {
        0,     1,         -1,         9,    10,   -10,      99,       100,       101,      -101,
        12345, 1'000'000, -987654321, kMax, kMin, kMax - 1, kMin + 1, kMax / 10, kMin / 10};
    for (const Currency c : {kEur, kJpy, kBhd, kClf}) {
        for (const std::int64_t v : values) {
            const Money m(v, c);
            INFO(m.to_string());
            CHECK(Money::parse(m.to_decimal_string(), c) == m);
        }
    }
}

// --- arithmetic ------------------------------------------------------------------------------

TEST_CASE("core: money adds, subtracts, negates and multiplies", "[core]") {
    Money balance = Money::parse("10.00", kEur);
    balance += Money::parse("2.50", kEur);
    CHECK(balance.minor_units() == 1250);
    balance -= Money::parse("20", kEur);
    CHECK(balance.minor_units() == -750);
    CHECK(balance.is_negative());
    CHECK((-balance).minor_units() == 750);
    CHECK((Money(5, kEur) + Money(6, kEur)).minor_units() == 11);
    CHECK((Money(5, kEur) - Money(6, kEur)).minor_units() == -1);
    CHECK(Money(250, kEur).times(3).minor_units() == 750);
    CHECK(Money(250, kEur).times(-2).minor_units() == -500);
    CHECK(Money(250, kEur).times(0).is_zero());
    CHECK(Money(kMax, kEur).times(1).minor_units() == kMax);
    CHECK(Money(kMin, kEur).times(1).minor_units() == kMin);
    CHECK((Money(kMax, kEur) + Money(kMin, kEur)).minor_units() == -1);
    CHECK((-Money(kMax, kEur)).minor_units() == -kMax);
}

TEST_CASE("core: arithmetic refuses mixed currencies, naming both", "[core]") {
    Money eur(100, kEur);
    const Money usd(100, kUsd);
    const auto add = validation_error_of([&] { eur += usd; });
    CHECK(add.field() == "currency");
    CHECK_THAT(add.what(), Contains("EUR") && Contains("USD") && Contains("add"));
    const auto sub = validation_error_of([&] { eur -= usd; });
    CHECK_THAT(sub.what(), Contains("EUR") && Contains("USD") && Contains("subtract"));
    CHECK_THROWS_AS(eur + usd, pitboss::ValidationError);
    CHECK_THROWS_AS(eur - usd, pitboss::ValidationError);
    CHECK(eur.minor_units() == 100);
}

TEST_CASE("core: arithmetic overflow throws and leaves the operand unchanged", "[core]") {
    Money big(kMax, kEur);
    const auto e = validation_error_of([&] { big += Money(1, kEur); });
    CHECK(e.field() == "amount");
    CHECK_THAT(e.what(), Contains("92233720368547758.07 EUR + 0.01 EUR") && Contains("overflows"));
    CHECK(big.minor_units() == kMax);

    Money small(kMin, kEur);
    CHECK_THROWS_AS(small -= Money(1, kEur), pitboss::ValidationError);
    CHECK(small.minor_units() == kMin);
    CHECK_THROWS_AS(small += Money(-1, kEur), pitboss::ValidationError);
    CHECK_THROWS_AS(big -= Money(-1, kEur), pitboss::ValidationError);
    CHECK_THROWS_AS(Money(0, kEur) - Money(kMin, kEur), pitboss::ValidationError);
    CHECK_THROWS_AS(-Money(kMin, kEur), pitboss::ValidationError);
}

TEST_CASE("core: times() throws on overflow", "[core]") {
    CHECK_THROWS_AS(Money(kMax / 2 + 1, kEur).times(2), pitboss::ValidationError);
    CHECK_THROWS_AS(Money(kMin, kEur).times(-1), pitboss::ValidationError);
    CHECK_THROWS_AS(Money(-1, kEur).times(kMin), pitboss::ValidationError);
    CHECK_THROWS_AS(Money(3, kJpy).times(kMax / 2), pitboss::ValidationError);
    CHECK(Money(1, kEur).times(kMin).minor_units() == kMin);
    CHECK(Money(kMax / 2, kEur).times(2).minor_units() == kMax - 1);
    const auto e = validation_error_of([] { (void)Money(kMax, kEur).times(2); });
    CHECK_THAT(e.what(), Contains("* 2") && Contains("overflows"));
}

// --- ordering --------------------------------------------------------------------------------

TEST_CASE("core: amounts of one currency are ordered", "[core]") {
    CHECK(Money(1, kEur) < Money(2, kEur));
    CHECK(Money(-2, kEur) < Money(-1, kEur));
    CHECK(Money(kMin, kEur) < Money(kMax, kEur));
    CHECK(Money(5, kEur) >= Money(5, kEur));
    CHECK(Money(5, kEur) == Money(5, kEur));
    CHECK(Money(5, kEur) != Money(6, kEur));
    CHECK((Money(7, kEur) <=> Money(7, kEur)) == std::strong_ordering::equal);
}

TEST_CASE("core: ordering mixed currencies throws; equality is simply false", "[core]") {
    CHECK_FALSE(Money(5, kEur) == Money(5, kUsd));
    const auto e = validation_error_of([] { (void)(Money(1, kEur) < Money(2, kUsd)); });
    CHECK(e.field() == "currency");
    CHECK_THAT(e.what(), Contains("compare") && Contains("EUR") && Contains("USD"));
    CHECK_THROWS_AS((void)(Money(1, kJpy) <=> Money(1, kEur)), pitboss::ValidationError);
}
