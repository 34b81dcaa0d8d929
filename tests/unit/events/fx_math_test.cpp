// Exact FX arithmetic: rate parsing and minor-unit conversion with half-to-even rounding.

#include "events/fx_math.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "pitboss/core/error.hpp"

using namespace pitboss;
using namespace pitboss::events::detail;

namespace {

const Currency kEur = Currency::of("EUR");
const Currency kUsd = Currency::of("USD");
const Currency kJpy = Currency::of("JPY");
const Currency kBhd = Currency::of("BHD");
const Currency kClf = Currency::of("CLF");  // 4 minor digits
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
const ExactRate kOne{1, 0};
__extension__ using Int128 = __int128;  // -Wpedantic knows no 128-bit integers

std::string field_of_rejection(std::string_view text, std::string_view field = "rate") {
    try {
        (void)parse_rate(text, field);
    } catch (const ValidationError& e) {
        return e.field();
    }
    return "<accepted>";
}

std::string field_of_conversion_error(std::int64_t minor, Currency from, ExactRate from_rate,
                                      Currency to, ExactRate to_rate) {
    try {
        (void)convert_minor(minor, from, from_rate, to, to_rate);
    } catch (const ValidationError& e) {
        return e.field();
    }
    return "<converted>";
}

}  // namespace

TEST_CASE("parse_rate reads positive decimals exactly", "[events][fx]") {
    CHECK(parse_rate("1") == ExactRate{1, 0});
    CHECK(parse_rate("1.0842") == ExactRate{10842, 4});
    CHECK(parse_rate("0.92") == ExactRate{92, 2});
    CHECK(parse_rate("1.50") == ExactRate{150, 2});  // scale as written
    CHECK(parse_rate("0.000000000001") == ExactRate{1, 12});
    CHECK(parse_rate("123456789012345678") == ExactRate{123456789012345678, 0});
    CHECK(parse_rate("123456.789012345678") == ExactRate{123456789012345678, 12});
    CHECK(parse_rate("000000000000000000000007.5") == ExactRate{75, 1});  // leading zeros
    CHECK(parse_rate("0.000000012345") == ExactRate{12345, 12});
}

TEST_CASE("parse_rate rejects everything else, naming the field", "[events][fx]") {
    for (const char* bad : {"", ".5", "5.", "1e3", "-1", "+1", " 1", "1 ", "1,5", "1.2.3", "abc",
                            "0", "0.000", "00", "0.0000000000001", "1.0000000000000",
                            "1234567890123456789", "1234567.890123456789", "\xc2\xb9"}) {
        INFO(bad);
        CHECK(field_of_rejection(bad) == "rate");
    }
    CHECK(field_of_rejection("x", "fx_rates.rate") == "fx_rates.rate");
    CHECK_THROWS_WITH(parse_rate("0.0"), Catch::Contains("not positive"));
    CHECK_THROWS_WITH(parse_rate("1.0000000000000"), Catch::Contains("more than 12 decimals"));
    CHECK_THROWS_WITH(parse_rate("1234567890123456789"),
                      Catch::Contains("more than 18 significant digits"));
}

TEST_CASE("to_string writes exactly scale decimals and round-trips", "[events][fx]") {
    CHECK(to_string(ExactRate{15, 1}) == "1.5");
    CHECK(to_string(ExactRate{5, 3}) == "0.005");
    CHECK(to_string(ExactRate{100, 0}) == "100");
    CHECK(to_string(ExactRate{10842, 4}) == "1.0842");
    CHECK(to_string(ExactRate{1, 12}) == "0.000000000001");
    CHECK(to_string(ExactRate{150, 2}) == "1.50");
    for (const char* text :
         {"1", "0.92", "1.0842", "123456.789012345678", "0.000000000001", "250.5", "10"}) {
        CHECK(to_string(parse_rate(text)) == text);
    }
}

TEST_CASE("convert_minor between the base and other currencies", "[events][fx]") {
    const ExactRate usd = parse_rate("0.92");    // 1 USD = 0.92 EUR (base)
    const ExactRate jpy = parse_rate("0.0062");  // 1 JPY = 0.0062 EUR
    const ExactRate bhd = parse_rate("2.45");    // 1 BHD = 2.45 EUR

    SECTION("identity") {
        for (std::int64_t minor : {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1},
                                   std::int64_t{123456}, kMax, kMin}) {
            CHECK(convert_minor(minor, kEur, kOne, kEur, kOne) == minor);
            CHECK(convert_minor(minor, kUsd, usd, kUsd, usd) == minor);
            CHECK(convert_minor(minor, kUsd, parse_rate("0.920"), kUsd, usd) == minor);
        }
    }
    SECTION("to and from the base") {
        CHECK(convert_minor(1000, kUsd, usd, kEur, kOne) == 920);     // 10.00 USD
        CHECK(convert_minor(10000, kEur, kOne, kUsd, usd) == 10870);  // 108.6956.. USD
        CHECK(convert_minor(-10000, kEur, kOne, kUsd, usd) == -10870);
    }
    SECTION("JPY has no minor digits") {
        CHECK(convert_minor(1000, kJpy, jpy, kEur, kOne) == 620);  // 1000 JPY = 6.20 EUR
        CHECK(convert_minor(100, kEur, kOne, kJpy, jpy) == 161);   // 1 EUR = 161.29 JPY
        CHECK(convert_minor(1, kJpy, jpy, kEur, kOne) == 1);       // 0.62 cent
        CHECK(convert_minor(80, kJpy, jpy, kEur, kOne) == 50);     // 49.6 cents
    }
    SECTION("BHD has three") {
        CHECK(convert_minor(1000, kBhd, bhd, kEur, kOne) == 245);  // 1.000 BHD
        CHECK(convert_minor(245, kEur, kOne, kBhd, bhd) == 1000);
        CHECK(convert_minor(1, kEur, kOne, kBhd, bhd) == 4);  // 4.08 fils
    }
    SECTION("cross rates go through the base without an intermediate rounding") {
        // 1 USD = 0.92 / 0.0062 JPY = 148.387... JPY; 10.00 USD = 1483.87 -> 1484 JPY.
        CHECK(convert_minor(1000, kUsd, usd, kJpy, jpy) == 1484);
        // 1.000 BHD = 2.45 / 0.92 USD = 2.663043.. USD -> 266 cents.
        CHECK(convert_minor(1000, kBhd, bhd, kUsd, usd) == 266);
    }
}

TEST_CASE("convert_minor rounds half to even, symmetrically", "[events][fx]") {
    // Dividing path (negative exponent): EUR cents to a currency without decimals at rate 1.
    CHECK(convert_minor(250, kEur, kOne, kJpy, kOne) == 2);
    CHECK(convert_minor(350, kEur, kOne, kJpy, kOne) == 4);
    CHECK(convert_minor(150, kEur, kOne, kJpy, kOne) == 2);
    CHECK(convert_minor(50, kEur, kOne, kJpy, kOne) == 0);
    CHECK(convert_minor(251, kEur, kOne, kJpy, kOne) == 3);
    CHECK(convert_minor(249, kEur, kOne, kJpy, kOne) == 2);
    CHECK(convert_minor(-250, kEur, kOne, kJpy, kOne) == -2);
    CHECK(convert_minor(-350, kEur, kOne, kJpy, kOne) == -4);
    CHECK(convert_minor(-251, kEur, kOne, kJpy, kOne) == -3);
    // Multiplying path (positive exponent): EUR cents to BHD fils at 4 EUR per BHD.
    const ExactRate four{4, 0};
    CHECK(convert_minor(1, kEur, kOne, kBhd, four) == 2);   // 2.5
    CHECK(convert_minor(3, kEur, kOne, kBhd, four) == 8);   // 7.5
    CHECK(convert_minor(5, kEur, kOne, kBhd, four) == 12);  // 12.5
    CHECK(convert_minor(-3, kEur, kOne, kBhd, four) == -8);
    // Through a rate's scale: 0.5 EUR per USD.
    const ExactRate half = parse_rate("0.5");
    CHECK(convert_minor(1, kUsd, half, kEur, kOne) == 0);
    CHECK(convert_minor(3, kUsd, half, kEur, kOne) == 2);
    CHECK(convert_minor(5, kUsd, half, kEur, kOne) == 2);
    CHECK(convert_minor(7, kUsd, half, kEur, kOne) == 4);
    CHECK(convert_minor(-7, kUsd, half, kEur, kOne) == -4);
}

TEST_CASE("convert_minor is exact at the int64 limits and refuses overflow", "[events][fx]") {
    const ExactRate half = parse_rate("0.5");
    const ExactRate two = parse_rate("2");
    CHECK(convert_minor(kMax, kUsd, half, kEur, kOne) == 4611686018427387904);  // .5 -> even
    CHECK(convert_minor(kMax - 1, kUsd, half, kEur, kOne) == 4611686018427387903);
    CHECK(convert_minor(kMin, kUsd, half, kEur, kOne) == -4611686018427387904);
    CHECK(convert_minor(kMax, kUsd, parse_rate("1.000000000000"), kEur, kOne) == kMax);
    CHECK(convert_minor(kMin, kUsd, parse_rate("1.000000000000"), kEur, kOne) == kMin);
    const ExactRate huge = parse_rate("999999.999999999999");
    CHECK(convert_minor(kMax, kUsd, huge, kUsd, huge) == kMax);
    CHECK(convert_minor(kMin, kUsd, huge, kUsd, huge) == kMin);
    CHECK(convert_minor(kMax / 2, kUsd, two, kEur, kOne) == kMax - 1);
    CHECK(convert_minor(kMin / 2, kUsd, two, kEur, kOne) == kMin);

    CHECK(field_of_conversion_error(kMax, kUsd, two, kEur, kOne) == "amount");
    CHECK(field_of_conversion_error(kMin, kUsd, two, kEur, kOne) == "amount");
    CHECK(field_of_conversion_error(kMax / 2 + 1, kUsd, two, kEur, kOne) == "amount");
    CHECK(field_of_conversion_error(kMax, kJpy, kOne, kEur, kOne) == "amount");  // x100
    CHECK(field_of_conversion_error(kMin, kJpy, kOne, kEur, kOne) == "amount");
    // The largest exponent: 0 -> 4 digits and a 12-decimal target rate.
    const ExactRate tiny = parse_rate("0.000000000001");
    CHECK(convert_minor(1, kJpy, kOne, kClf, tiny) == 10000000000000000);
    CHECK(convert_minor(922, kJpy, kOne, kClf, tiny) == 9220000000000000000);
    CHECK(field_of_conversion_error(923, kJpy, kOne, kClf, tiny) == "amount");
    CHECK(field_of_conversion_error(kMax, kJpy, huge, kClf, tiny) == "amount");
    // The smallest: 4 -> 0 digits and a 12-decimal source rate: everything rounds to 0 or 1.
    CHECK(convert_minor(kMax, kClf, tiny, kJpy, kOne) == 922);  // 922.3372036854775807
    CHECK(convert_minor(kMax, kClf, tiny, kJpy, huge) == 0);
}

TEST_CASE("convert_minor refuses rates that are not positive", "[events][fx]") {
    CHECK(field_of_conversion_error(1, kUsd, ExactRate{0, 0}, kEur, kOne) == "rate");
    CHECK(field_of_conversion_error(1, kUsd, kOne, kEur, ExactRate{-5, 1}) == "rate");
    CHECK(field_of_conversion_error(1, kUsd, ExactRate{1, 13}, kEur, kOne) == "rate");
    CHECK(field_of_conversion_error(1, kUsd, ExactRate{1, -1}, kEur, kOne) == "rate");
}

TEST_CASE("convert_minor equals a direct exact computation on random inputs", "[events][fx]") {
    // Inputs small enough that minor * mantissa * 10^|e| fits __int128 directly.
    const Currency currencies[] = {kEur, kJpy, kBhd, kClf, kUsd};
    std::mt19937_64 rng(20261122);
    auto pick = [&](std::int64_t low, std::int64_t high) {
        return std::uniform_int_distribution<std::int64_t>(low, high)(rng);
    };
    int ties = 0;
    for (int i = 0; i < 200000; ++i) {
        const std::int64_t minor = pick(-100'000'000, 100'000'000);
        const Currency from = currencies[pick(0, 4)];
        const Currency to = currencies[pick(0, 4)];
        // Round mantissas (powers of 2 and 5) make exact halves common.
        auto mantissa = [&] {
            constexpr std::int64_t kRound[] = {1, 2, 4, 5, 8, 10, 16, 20, 25, 40, 50, 125, 250};
            return pick(0, 2) == 0 ? kRound[pick(0, 12)] : pick(1, 2'000'000);
        };
        const ExactRate from_rate{mantissa(), static_cast<int>(pick(0, 12))};
        const ExactRate to_rate{mantissa(), static_cast<int>(pick(0, 12))};
        const int exponent =
            to.minor_digits() - from.minor_digits() + to_rate.scale - from_rate.scale;
        Int128 numerator = static_cast<Int128>(minor) * from_rate.mantissa;
        Int128 denominator = to_rate.mantissa;
        for (int k = 0; k < exponent; ++k) numerator *= 10;
        for (int k = exponent; k < 0; ++k) denominator *= 10;
        // Round half to even on the magnitude.
        const bool negative = numerator < 0;
        const Int128 magnitude = negative ? -numerator : numerator;
        Int128 q = magnitude / denominator;
        const Int128 r = magnitude % denominator;
        if (2 * r == denominator) ++ties;
        if (2 * r > denominator || (2 * r == denominator && q % 2 == 1)) ++q;
        if (negative) q = -q;
        const bool fits = q >= kMin && q <= kMax;
        INFO(minor << " " << from.code() << " " << to_string(from_rate) << " -> " << to.code()
                   << " " << to_string(to_rate));
        if (fits) {
            REQUIRE(convert_minor(minor, from, from_rate, to, to_rate) ==
                    static_cast<std::int64_t>(q));
        } else {
            REQUIRE(field_of_conversion_error(minor, from, from_rate, to, to_rate) == "amount");
        }
    }
    CHECK(ties > 0);  // the sample exercises exact halves
}
