#include "pitboss/core/json.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "pitboss/core/error.hpp"
#include "validation_error_of.hpp"

using Catch::Matchers::Contains;
using pitboss::amount_from_json;
using pitboss::canonical_json;
using pitboss::Currency;
using pitboss::Json;
using pitboss::Money;
using pitboss::money_from_json;
using pitboss::testing::validation_error_of;

namespace {

const Currency kEur = Currency::of("EUR");
const Currency kJpy = Currency::of("JPY");
const Currency kBhd = Currency::of("BHD");

std::int64_t minor_of(const Json& amount, Currency currency = kEur) {
    return amount_from_json(amount, currency).minor_units();
}

pitboss::ValidationError amount_error(const Json& amount, Currency currency = kEur) {
    return validation_error_of([&] { (void)amount_from_json(amount, currency); });
}

}  // namespace

// --- money -----------------------------------------------------------------------------------

TEST_CASE("core: json money is written with a decimal string amount", "[core]") {
    CHECK(pitboss::money_to_json(Money(1234, kEur)).dump() ==
          R"({"amount":"12.34","currency":"EUR"})");
    CHECK(pitboss::money_to_json(Money(-5, kEur)).dump() ==
          R"({"amount":"-0.05","currency":"EUR"})");
    CHECK(pitboss::money_to_json(Money(1500, kJpy)).dump() ==
          R"({"amount":"1500","currency":"JPY"})");
    CHECK(pitboss::money_to_json(Money(std::numeric_limits<std::int64_t>::min(), kBhd))["amount"] ==
          "-9223372036854775.808");
}

TEST_CASE("core: json money reads back what it wrote", "[core]") {
    for (const Money& m : {Money(1234, kEur), Money(-1, kBhd), Money(0, kJpy),
                           Money(std::numeric_limits<std::int64_t>::max(), kEur),
                           Money(std::numeric_limits<std::int64_t>::min(), kEur)}) {
        INFO(m.to_string());
        CHECK(money_from_json(pitboss::money_to_json(m)) == m);
        CHECK(money_from_json(Json::parse(pitboss::money_to_json(m).dump())) == m);
    }
}

TEST_CASE("core: json money converts through nlohmann's get and assignment", "[core]") {
    const Json j = Money(2510, kEur);
    CHECK(j == Json{{"amount", "25.10"}, {"currency", "EUR"}});
    CHECK(j.get<Money>() == Money(2510, kEur));
}

TEST_CASE("core: json a string amount is parsed exactly", "[core]") {
    CHECK(minor_of("12.34") == 1234);
    CHECK(minor_of("-0.5") == -50);
    CHECK(minor_of("92233720368547758.07") == std::numeric_limits<std::int64_t>::max());
    CHECK_THAT(amount_error("12.345").what(),
               Contains("amount: 12.345 has 3 decimals, EUR allows 2"));
    CHECK_THAT(amount_error("1e3").what(), Contains("is not a decimal amount"));
}

TEST_CASE("core: json a float amount is read from its shortest decimal text", "[core]") {
    CHECK(minor_of(Json::parse("25.1")) == 2510);
    CHECK(minor_of(Json(25.1)) == 2510);
    CHECK(minor_of(Json(0.1)) == 10);
    CHECK(minor_of(Json(0.29)) == 29);  // 0.29 * 100 == 28.999999999999996 in doubles
    CHECK(minor_of(Json(1.15)) == 115);
    CHECK(minor_of(Json(-19.99)) == -1999);
    CHECK(minor_of(Json(100.0)) == 10000);
    CHECK(minor_of(Json(-0.0)) == 0);
    CHECK(minor_of(Json::parse("1e2")) == 10000);
    CHECK(minor_of(Json::parse("1.5E1")) == 1500);
    CHECK(minor_of(Json::parse("0.0000")) == 0);
    CHECK(minor_of(Json(1500.0), kJpy) == 1500);
    CHECK(minor_of(Json(1e15), kJpy) == 1'000'000'000'000'000);
    CHECK(minor_of(Json(0.001), kBhd) == 1);
    CHECK(minor_of(Json(123456789.25)) == 12345678925);
}

TEST_CASE("core: json an integer amount is exact, also beyond 2^53", "[core]") {
    CHECK(minor_of(Json(5)) == 500);
    CHECK(minor_of(Json(-7)) == -700);
    CHECK(minor_of(Json(std::uint64_t{9007199254740993}), kJpy) == 9007199254740993);
    CHECK(minor_of(Json::parse("9223372036854775807"), kJpy) ==
          std::numeric_limits<std::int64_t>::max());
    CHECK(minor_of(Json::parse("-9223372036854775808"), kJpy) ==
          std::numeric_limits<std::int64_t>::min());
}

TEST_CASE("core: json a number with too many decimals or out of range is rejected", "[core]") {
    CHECK(std::string(amount_error(Json(12.345)).what()) ==
          "amount: 12.345 has 3 decimals, EUR allows 2");
    CHECK_THAT(amount_error(Json(1e-7)).what(), Contains("0.0000001 has 7 decimals"));
    CHECK_THAT(amount_error(Json(0.5), kJpy).what(), Contains("0.5 has 1 decimal, JPY allows 0"));
    CHECK_THAT(amount_error(Json(1e300)).what(), Contains("out of range"));
    CHECK_THAT(amount_error(Json(-1.7976931348623157e308)).what(), Contains("out of range"));
    CHECK_THAT(amount_error(Json(std::numeric_limits<std::uint64_t>::max()), kJpy).what(),
               Contains("out of range"));
    CHECK_THAT(amount_error(Json(92233720368547758.0)).what(), Contains("out of range"));
}

TEST_CASE("core: json non-finite and non-numeric amounts are rejected", "[core]") {
    CHECK_THAT(amount_error(Json(std::nan(""))).what(), Contains("finite"));
    CHECK_THAT(amount_error(Json(std::numeric_limits<double>::infinity())).what(),
               Contains("finite"));
    CHECK_THAT(amount_error(Json(nullptr)).what(), Contains("not null"));
    CHECK_THAT(amount_error(Json(true)).what(), Contains("not boolean"));
    CHECK_THAT(amount_error(Json::array({1})).what(), Contains("not array"));
    CHECK_THAT(amount_error(Json::object()).what(), Contains("not object"));
    CHECK(amount_error(Json(true)).field() == "amount");
    const auto e = validation_error_of([] { (void)amount_from_json(Json(false), kEur, "stake"); });
    CHECK(e.field() == "stake");
}

TEST_CASE("core: json money_from_json rejects malformed objects naming the field", "[core]") {
    const auto not_object =
        validation_error_of([] { (void)money_from_json(Json("12.34 EUR"), "bonus"); });
    CHECK(not_object.field() == "bonus");
    CHECK_THAT(not_object.what(), Contains("must be an object"));

    const auto no_currency = validation_error_of([] {
        (void)money_from_json(Json{{"amount", "1"}});
    });
    CHECK(no_currency.field() == "amount.currency");

    const auto numeric_currency = validation_error_of([] {
        (void)money_from_json(Json{{"amount", "1"}, {"currency", 978}});
    });
    CHECK(numeric_currency.field() == "amount.currency");

    const auto lower = validation_error_of([] {
        (void)money_from_json(Json{{"amount", "1"}, {"currency", "eur"}}, "bonus");
    });
    CHECK(lower.field() == "bonus.currency");
    CHECK_THAT(lower.what(), Contains("did you mean \"EUR\"?"));

    const auto no_amount = validation_error_of([] {
        (void)money_from_json(Json{{"currency", "EUR"}});
    });
    CHECK(no_amount.field() == "amount");
    CHECK_THAT(no_amount.what(), Contains("has no \"amount\""));

    const auto bad_amount = validation_error_of([] {
        (void)money_from_json(Json{{"amount", "1.234"}, {"currency", "EUR"}}, "bonus");
    });
    CHECK(std::string(bad_amount.what()) == "bonus: 1.234 has 3 decimals, EUR allows 2");
}

TEST_CASE("core: json money_from_json ignores extra keys", "[core]") {
    const Json j = {{"amount", 9.99}, {"currency", "GBP"}, {"display", "£9.99"}};
    CHECK(money_from_json(j) == Money(999, Currency::of("GBP")));
}

// --- other core types ------------------------------------------------------------------------

TEST_CASE("core: json timestamps travel as RFC 3339 strings", "[core]") {
    const pitboss::Timestamp t = pitboss::parse_timestamp("2026-11-22T09:39:00.5+01:00");
    const Json j = t;
    CHECK(j == "2026-11-22T08:39:00.500Z");
    CHECK(j.get<pitboss::Timestamp>() == t);
    CHECK(validation_error_of([] {
              (void)Json(1795336740000).get<pitboss::Timestamp>();
          }).field() == "timestamp");
    CHECK_THROWS_AS(Json("2026-11-22").get<pitboss::Timestamp>(), pitboss::ValidationError);
}

TEST_CASE("core: json strong ids travel as integers", "[core]") {
    const Json j = pitboss::PlayerId(42);
    CHECK(j == 42);
    CHECK(j.get<pitboss::PlayerId>() == pitboss::PlayerId(42));
}

// --- canonical form --------------------------------------------------------------------------

TEST_CASE("core: json canonical_json sorts keys at every depth and drops spaces", "[core]") {
    const Json j = Json::parse(R"({ "b": 1, "a": { "d": [3, 1, 2], "c": "x" }, "A": null })");
    CHECK(canonical_json(j) == R"({"A":null,"a":{"c":"x","d":[3,1,2]},"b":1})");
}

TEST_CASE("core: json canonical_json does not depend on insertion order", "[core]") {
    Json first;
    first["player"] = 7;
    first["action"] = "players.update";
    first["after"] = {{"email", "new@example.org"}, {"country", "MT"}};
    Json second;
    second["after"] = {{"country", "MT"}, {"email", "new@example.org"}};
    second["action"] = "players.update";
    second["player"] = 7;
    CHECK(canonical_json(first) == canonical_json(second));
}

TEST_CASE("core: json canonical_json keeps UTF-8 and sorts keys by bytes", "[core]") {
    const Json j = {{"\xc3\xa9t\xc3\xa9", "Gz\xc3\xb3 \xe2\x82\xac"}, {"a", 1}, {"Z", 2}};
    CHECK(canonical_json(j) ==
          "{\"Z\":2,\"a\":1,\"\xc3\xa9t\xc3\xa9\":\"Gz\xc3\xb3 \xe2\x82\xac\"}");
    CHECK(canonical_json(Json("tab\there \"q\" \\ \x01")) == R"("tab\there \"q\" \\ \u0001")");
}

TEST_CASE("core: json canonical_json prints numbers deterministically", "[core]") {
    CHECK(canonical_json(Json(25.1)) == "25.1");
    CHECK(canonical_json(Json(0.1)) == "0.1");
    CHECK(canonical_json(Json(1e-7)) == "1e-07");
    CHECK(canonical_json(Json(1.0)) == "1.0");
    CHECK(canonical_json(Json(1)) == "1");
    CHECK(canonical_json(Json(-0.0)) == "-0.0");
    CHECK(canonical_json(Json(std::numeric_limits<std::int64_t>::min())) == "-9223372036854775808");
    CHECK(canonical_json(Json(std::numeric_limits<std::uint64_t>::max())) ==
          "18446744073709551615");
}

TEST_CASE("core: json canonical_json is a fixed point of parse", "[core]") {
    const std::string text = canonical_json(Json::parse(R"({"z": [1.5, 2e10, -3, {"y": true}],
        "m": {"amount": "12.34", "currency": "EUR"}, "s": "\u00e9"})"));
    CHECK(canonical_json(Json::parse(text)) == text);
}

TEST_CASE("core: json canonical_json refuses values without a canonical form", "[core]") {
    const auto nan = validation_error_of([] {
        (void)canonical_json(Json{{"x", {1, std::nan("")}}});
    });
    CHECK(nan.field() == "json");
    CHECK_THROWS_AS(canonical_json(Json(-std::numeric_limits<double>::infinity())),
                    pitboss::ValidationError);
    const auto utf8 = validation_error_of([] { (void)canonical_json(Json{{"name", "\xff\xfe"}}); });
    CHECK_THAT(utf8.what(), Contains("not valid UTF-8"));
    CHECK_THROWS_AS(canonical_json(Json{{"\xc3", 1}}), pitboss::ValidationError);
    CHECK_THROWS_AS(canonical_json(Json::binary({1, 2, 3})), pitboss::ValidationError);
}
