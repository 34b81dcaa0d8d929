#include "players/player_validation.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "pitboss/core/error.hpp"
#include "players/iso_codes.hpp"

using namespace pitboss;
using namespace pitboss::players;
using namespace std::chrono;

namespace {

// Runs `f`, expecting a ValidationError naming `field`.
template <class F>
void require_rejected(const std::string& field, F&& f) {
    try {
        f();
        FAIL("expected ValidationError for " << field);
    } catch (const ValidationError& e) {
        CHECK(e.field() == field);
        CHECK(e.code() == ErrorCode::kInvalidArgument);
    }
}

const Timestamp kNow = sys_days(year(2026) / January / 15) + hours(10);
const Date kToday = year(2026) / January / 15;

NewPlayer valid_player() {
    NewPlayer p;
    p.external_id = "P-1001";
    p.brand = "main";
    p.email = "anna.schmidt@example.de";
    p.phone = "+4915112345678";
    p.country = "DE";
    p.birth_date = year(1990) / March / 4;
    p.currency = "EUR";
    p.language = "de";
    p.traffic_source = "affiliate";
    p.affiliate_id = "aff-17";
    p.tags = {"vip", "casino", "vip"};
    return p;
}

}  // namespace

TEST_CASE("players: external_id is 1-128 visible characters", "[players]") {
    CHECK_NOTHROW(validate_external_id("x"));
    CHECK_NOTHROW(validate_external_id("PLT:0001/abc-_.~"));
    CHECK_NOTHROW(validate_external_id(std::string(128, 'a')));
    require_rejected("external_id", [] { validate_external_id(""); });
    require_rejected("external_id", [] { validate_external_id(std::string(129, 'a')); });
    require_rejected("external_id", [] { validate_external_id("has space"); });
    require_rejected("external_id", [] { validate_external_id("tab\there"); });
    require_rejected("external_id", [] { validate_external_id("nl\n"); });
    require_rejected("external_id", [] { validate_external_id("caf\xc3\xa9"); });
    require_rejected("external_id", [] { validate_external_id(std::string("a\0b", 3)); });
}

TEST_CASE("players: brand is a lower-case slug of up to 40 characters", "[players]") {
    CHECK_NOTHROW(validate_brand("main"));
    CHECK_NOTHROW(validate_brand("lucky_fox-2"));
    CHECK_NOTHROW(validate_brand(std::string(40, 'b')));
    require_rejected("brand", [] { validate_brand(""); });
    require_rejected("brand", [] { validate_brand(std::string(41, 'b')); });
    require_rejected("brand", [] { validate_brand("Main"); });
    require_rejected("brand", [] { validate_brand("lucky fox"); });
    require_rejected("brand", [] { validate_brand("lucky.fox"); });
}

TEST_CASE("players: country must be an assigned ISO 3166-1 alpha-2 code", "[players]") {
    CHECK(iso_country_count() == 249);
    for (const char* code : {"DE", "GB", "MT", "SE", "FI", "NO", "CA", "BR", "AX", "BQ", "CW", "SS",
                             "SX", "ZW", "AD"}) {
        CHECK_NOTHROW(validate_country(code));
    }
    for (const char* bad :
         {"XX", "de", "De", "DEU", "D", "", "UK", "EU", "XK", "ZZ", "AA", "D1", " DE", "DE "}) {
        INFO(bad);
        require_rejected("country", [&] { validate_country(bad); });
    }
}

TEST_CASE("players: every ISO 3166-1 letter pair is classified", "[players]") {
    // All 26 x 26 upper-case pairs: exactly the 249 assigned codes are accepted; no lower-case.
    int accepted = 0;
    for (char a = 'A'; a <= 'Z'; ++a) {
        for (char b = 'A'; b <= 'Z'; ++b) {
            const std::string code{a, b};
            if (is_iso_country(code)) ++accepted;
            const std::string lower{static_cast<char>(a + 32), static_cast<char>(b + 32)};
            CHECK_FALSE(is_iso_country(lower));
        }
    }
    CHECK(accepted == 249);
}

TEST_CASE("players: birth date must make the player an adult today", "[players]") {
    CHECK_NOTHROW(validate_birth_date(year(1990) / March / 4, kToday));
    SECTION("exactly 18 today is allowed") {
        CHECK_NOTHROW(validate_birth_date(year(2008) / January / 15, kToday));
    }
    SECTION("18 tomorrow is refused") {
        require_rejected("birth_date",
                         [] { validate_birth_date(year(2008) / January / 16, kToday); });
    }
    SECTION("a child is refused") {
        require_rejected("birth_date", [] { validate_birth_date(year(2015) / June / 1, kToday); });
    }
    SECTION("a future date is refused") {
        require_rejected("birth_date",
                         [] { validate_birth_date(year(2026) / January / 16, kToday); });
        require_rejected("birth_date", [] { validate_birth_date(year(2090) / May / 1, kToday); });
    }
    SECTION("an impossible date is refused") {
        require_rejected("birth_date",
                         [] { validate_birth_date(year(1990) / February / 30, kToday); });
        require_rejected("birth_date",
                         [] { validate_birth_date(year(1990) / month(13) / 1, kToday); });
    }
    SECTION("a date before 1900 is refused") {
        require_rejected("birth_date",
                         [] { validate_birth_date(year(1899) / December / 31, kToday); });
        CHECK_NOTHROW(validate_birth_date(year(1900) / January / 1, kToday));
    }
}

TEST_CASE("players: email must be local@domain.tld", "[players]") {
    for (const char* good :
         {"a@b.co", "anna.schmidt@example.de", "x+tag@mail.example.com", "o'neil@example.ie",
          "UPPER@EXAMPLE.COM", "a_b-c@sub-d.example.org", "1234@123.example.io"}) {
        INFO(good);
        CHECK_NOTHROW(validate_email(good));
    }
    for (const char* bad : {"",
                            "plain",
                            "@example.com",
                            "anna@",
                            "anna@example",
                            "anna@@example.com",
                            "anna@ex@ample.com",
                            "an na@example.com",
                            "anna@exa mple.com",
                            "anna@example.c",
                            "anna@example.c0m",
                            ".anna@example.com",
                            "anna.@example.com",
                            "an..na@example.com",
                            "anna@-example.com",
                            "anna@example-.com",
                            "anna@example..com",
                            "anna@.example.com",
                            "anna@example.com.",
                            "anna(x)@example.com",
                            "anna@exam_ple.com",
                            "\"a\"@example.com",
                            "anna@example.com\n"}) {
        INFO(bad);
        require_rejected("email", [&] { validate_email(bad); });
    }
    SECTION("length limits") {
        const std::string local64(64, 'a');
        CHECK_NOTHROW(validate_email(local64 + "@example.com"));
        require_rejected("email", [&] { validate_email(local64 + "a@example.com"); });
        // 254 characters accepted, 255 refused.
        const std::string label(63, 'd');
        const std::string domain =
            label + "." + label + "." + label + "." + std::string(55, 'e') + ".com";
        const std::string at_limit = "ab@" + domain;
        REQUIRE(at_limit.size() == 254);
        CHECK_NOTHROW(validate_email(at_limit));
        require_rejected("email", [&] { validate_email("a" + at_limit); });
        require_rejected("email", [&] { validate_email("a@" + std::string(64, 'd') + ".com"); });
    }
}

TEST_CASE("players: phone must be E.164", "[players]") {
    for (const char* good : {"+35699123456", "+4915112345678", "+1234567", "+123456789012345"}) {
        INFO(good);
        CHECK_NOTHROW(validate_phone(good));
    }
    for (const char* bad :
         {"", "+", "35699123456", "+0123456789", "+123456", "+1234567890123456", "+356 9912 3456",
          "+356-99123456", "+35699l23456", "++35699123456", "00356991234"}) {
        INFO(bad);
        require_rejected("phone", [&] { validate_phone(bad); });
    }
}

TEST_CASE("players: currency must be a known ISO 4217 code", "[players]") {
    for (const char* good : {"EUR", "GBP", "SEK", "BRL", "CAD", "JPY"}) {
        CHECK_NOTHROW(validate_currency(good));
    }
    for (const char* bad : {"", "eur", "EURO", "XYZ", "E", "€"}) {
        INFO(bad);
        require_rejected("currency", [&] { validate_currency(bad); });
    }
}

TEST_CASE("players: language must be an ISO 639-1 code", "[players]") {
    CHECK(iso_language_count() >= 183);
    for (const char* good : {"en", "de", "sv", "fi", "no", "nb", "pt", "mt", "fr", "zu", "aa"}) {
        INFO(good);
        CHECK_NOTHROW(validate_language(good));
    }
    for (const char* bad : {"", "EN", "En", "eng", "e", "xx", "qq", "en-GB", "en_US", "zz"}) {
        INFO(bad);
        require_rejected("language", [&] { validate_language(bad); });
    }
}

TEST_CASE("players: tags are slugs, deduplicated and sorted, at most 50", "[players]") {
    CHECK(normalize_tags({"vip", "casino", "vip", "live_casino", "high-roller"}) ==
          std::vector<std::string>{"casino", "high-roller", "live_casino", "vip"});
    CHECK(normalize_tags({}).empty());
    CHECK(normalize_tags({std::string(40, 't')}).size() == 1);
    require_rejected("tags", [] { (void)normalize_tags({""}); });
    require_rejected("tags", [] { (void)normalize_tags({std::string(41, 't')}); });
    require_rejected("tags", [] { (void)normalize_tags({"VIP"}); });
    require_rejected("tags", [] { (void)normalize_tags({"big spender"}); });
    require_rejected("tags", [] { (void)normalize_tags({"a.b"}); });
    std::vector<std::string> fifty;
    for (int i = 0; i < 50; ++i) fifty.push_back("t" + std::to_string(i));
    CHECK(normalize_tags(fifty).size() == 50);
    auto fifty_with_duplicates = fifty;
    fifty_with_duplicates.insert(fifty_with_duplicates.end(), fifty.begin(), fifty.end());
    CHECK(normalize_tags(fifty_with_duplicates).size() == 50);
    fifty.push_back("t50");
    require_rejected("tags", [&] { (void)normalize_tags(fifty); });
}

TEST_CASE("players: labels and reasons", "[players]") {
    CHECK_NOTHROW(validate_label("traffic_source", "google / cpc"));
    require_rejected("traffic_source", [] { validate_label("traffic_source", ""); });
    require_rejected("affiliate_id", [] { validate_label("affiliate_id", std::string(129, 'a')); });
    require_rejected("affiliate_id", [] { validate_label("affiliate_id", " aff"); });
    require_rejected("affiliate_id", [] { validate_label("affiliate_id", "aff\t1"); });
    CHECK_NOTHROW(validate_reason("player asked to close the account"));
    require_rejected("reason", [] { validate_reason(""); });
    require_rejected("reason", [] { validate_reason("   "); });
    require_rejected("reason", [] { validate_reason(std::string(501, 'r')); });
    require_rejected("reason", [] { validate_reason("line\nbreak"); });
}

TEST_CASE("players: a registration is validated field by field", "[players]") {
    SECTION("a valid registration passes, tags normalised") {
        const NewPlayer clean = validated(valid_player(), kNow);
        CHECK(clean.tags == std::vector<std::string>{"casino", "vip"});
        CHECK(clean.external_id == "P-1001");
    }
    SECTION("optional fields may be absent") {
        NewPlayer p = valid_player();
        p.email.reset();
        p.phone.reset();
        p.traffic_source.reset();
        p.affiliate_id.reset();
        CHECK_NOTHROW(validated(p, kNow));
    }
    struct Case {
        std::string field;
        void (*spoil)(NewPlayer&);
    };
    const std::vector<Case> cases = {
        {"external_id", [](NewPlayer& p) { p.external_id = ""; }},
        {"brand", [](NewPlayer& p) { p.brand = "Main Brand"; }},
        {"email", [](NewPlayer& p) { p.email = "not-an-email"; }},
        {"email", [](NewPlayer& p) { p.email = ""; }},
        {"phone", [](NewPlayer& p) { p.phone = "0151 123"; }},
        {"phone", [](NewPlayer& p) { p.phone = ""; }},
        {"country", [](NewPlayer& p) { p.country = "XX"; }},
        {"country", [](NewPlayer& p) { p.country = "de"; }},
        {"country", [](NewPlayer& p) { p.country = "DEU"; }},
        {"birth_date", [](NewPlayer& p) { p.birth_date = year(2027) / 1 / 1; }},
        {"birth_date", [](NewPlayer& p) { p.birth_date = year(2010) / 1 / 1; }},
        {"birth_date", [](NewPlayer& p) { p.birth_date = Date{}; }},
        {"currency", [](NewPlayer& p) { p.currency = "EURO"; }},
        {"language", [](NewPlayer& p) { p.language = "DE"; }},
        {"traffic_source", [](NewPlayer& p) { p.traffic_source = ""; }},
        {"affiliate_id", [](NewPlayer& p) { p.affiliate_id = std::string(200, 'a'); }},
        {"tags", [](NewPlayer& p) { p.tags = {"Not A Tag"}; }},
        {"registered_at", [](NewPlayer& p) { p.registered_at = kNow + seconds(1); }},
    };
    for (const auto& c : cases) {
        NewPlayer p = valid_player();
        c.spoil(p);
        INFO(c.field);
        require_rejected(c.field, [&] { (void)validated(p, kNow); });
    }
    SECTION("registered_at in the past or now is fine") {
        NewPlayer p = valid_player();
        p.registered_at = kNow;
        CHECK_NOTHROW(validated(p, kNow));
        p.registered_at = kNow - days(400);
        CHECK_NOTHROW(validated(p, kNow));
    }
}

TEST_CASE("players: an update validates only the fields it sets", "[players]") {
    CHECK_NOTHROW(validated(PlayerUpdate{}, kNow));
    PlayerUpdate clears;
    clears.email = "";
    clears.phone = "";
    clears.traffic_source = "";
    clears.affiliate_id = "";
    CHECK_NOTHROW(validated(clears, kNow));
    PlayerUpdate tags;
    tags.tags = std::vector<std::string>{"b", "a", "b"};
    CHECK(validated(tags, kNow).tags == std::vector<std::string>{"a", "b"});

    struct Case {
        std::string field;
        void (*spoil)(PlayerUpdate&);
    };
    const std::vector<Case> cases = {
        {"email", [](PlayerUpdate& u) { u.email = "a@b"; }},
        {"phone", [](PlayerUpdate& u) { u.phone = "12345678"; }},
        {"country", [](PlayerUpdate& u) { u.country = ""; }},
        {"country", [](PlayerUpdate& u) { u.country = "XX"; }},
        {"birth_date", [](PlayerUpdate& u) { u.birth_date = year(2009) / 1 / 1; }},
        {"language", [](PlayerUpdate& u) { u.language = ""; }},
        {"traffic_source", [](PlayerUpdate& u) { u.traffic_source = " x"; }},
        {"affiliate_id", [](PlayerUpdate& u) { u.affiliate_id = "a\nb"; }},
        {"tags", [](PlayerUpdate& u) { u.tags = std::vector<std::string>{""}; }},
        {"expected_version", [](PlayerUpdate& u) { u.expected_version = 0; }},
    };
    for (const auto& c : cases) {
        PlayerUpdate u;
        c.spoil(u);
        INFO(c.field);
        require_rejected(c.field, [&] { (void)validated(u, kNow); });
    }
}
