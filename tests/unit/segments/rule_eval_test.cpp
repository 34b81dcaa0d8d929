#include <catch2/catch.hpp>
#include <random>
#include <string>

#include "pitboss/core/error.hpp"
#include "pitboss/segments/ab_bucket.hpp"
#include "pitboss/segments/rule.hpp"
#include "segments/rule_ast.hpp"

using namespace pitboss;
using namespace pitboss::segments;

namespace {

Timestamp at(const char* text) { return parse_timestamp(text); }

const Timestamp kNow = at("2026-11-22T13:45:12.345Z");

PlayerRow player(std::int64_t id) {
    PlayerRow r;
    r.player_id = PlayerId(id);
    r.external_id = "ext-" + std::to_string(id);
    r.country = "DE";
    r.language = "de";
    r.currency = "EUR";
    r.birth_date = parse_date("1990-06-15");
    r.registered_at = at("2025-01-10T08:00:00Z");
    return r;
}

// Row indexes matching `rule` in `table` at `now`, also checking matches() row by row.
std::vector<RowIndex> rows(PlayerTable& table, const std::string& rule, Timestamp now = kNow,
                           const SegmentResolver& resolver = {}) {
    const CompiledRule compiled = compile_rule(rule, table, resolver);
    const Bitmap bits = compiled.evaluate(table, now);
    REQUIRE(bits.size() == table.size());
    for (RowIndex r = 0; r < table.size(); ++r) {
        INFO(rule << " row " << r);
        CHECK(compiled.matches(table, r, now) == bits.test(r));
    }
    CHECK(compiled.count(table, now) == bits.count());
    return bits.rows();
}

using Rows = std::vector<RowIndex>;

}  // namespace

TEST_CASE("string fields: =, !=, in, not in, is null", "[segments][eval]") {
    PlayerTable t;
    for (int i = 0; i < 4; ++i) {
        PlayerRow r = player(i + 1);
        r.country = std::vector<std::string>{"DE", "AT", "MT", "DE"}[static_cast<std::size_t>(i)];
        if (i == 1) r.traffic_source = "seo";
        if (i == 2) r.traffic_source = "ppc";
        t.append(r);
    }
    CHECK(rows(t, "country = \"DE\"") == Rows{0, 3});
    CHECK(rows(t, "country != \"DE\"") == Rows{1, 2});
    CHECK(rows(t, "country in (\"AT\", \"MT\", \"FR\")") == Rows{1, 2});
    CHECK(rows(t, "country not in (\"AT\", \"MT\")") == Rows{0, 3});
    CHECK(rows(t, "country = \"FR\"").empty());
    // Nulls match nothing but is null, even under not.
    CHECK(rows(t, "traffic_source = \"seo\"") == Rows{1});
    CHECK(rows(t, "traffic_source != \"seo\"") == Rows{2});
    CHECK(rows(t, "not (traffic_source = \"seo\")") == Rows{2});
    CHECK(rows(t, "traffic_source not in (\"seo\")") == Rows{2});
    CHECK(rows(t, "traffic_source is null") == Rows{0, 3});
    CHECK(rows(t, "traffic_source is not null") == Rows{1, 2});
    CHECK(rows(t, "not traffic_source is null") == Rows{1, 2});
    CHECK(rows(t, "country is null").empty());
    CHECK(rows(t, "country is not null") == Rows{0, 1, 2, 3});
}

TEST_CASE("a string literal compiled before its value exists matches rows added later",
          "[segments][eval]") {
    PlayerTable t;
    t.append(player(1));
    const CompiledRule is_fr = compile_rule("country = \"FR\"", t);
    const CompiledRule not_fr = compile_rule("country != \"FR\"", t);
    PlayerRow fr = player(2);
    fr.country = "FR";
    t.append(fr);
    PlayerRow se = player(3);
    se.country = "SE";
    t.append(se);
    CHECK(is_fr.evaluate(t, kNow).rows() == Rows{1});
    CHECK(not_fr.evaluate(t, kNow).rows() == Rows{0, 2});
    CHECK(is_fr.matches(t, 1, kNow));
    CHECK_FALSE(not_fr.matches(t, 1, kNow));
}

TEST_CASE("string codes widen past 255 and 65535 distinct values", "[segments][eval]") {
    PlayerTable t;
    for (int i = 0; i < 70'000; ++i) {
        PlayerRow r = player(i + 1);
        r.affiliate_id = "aff" + std::to_string(i % 66'000);
        t.append(r);
    }
    CHECK(rows(t, "affiliate_id = \"aff7\"") == Rows{7, 66'007});
    CHECK(rows(t, "affiliate_id in (\"aff65999\", \"aff300\")") == Rows{300, 65'999, 66'300});
    CHECK(t.row(65'999).affiliate_id == "aff65999");
    std::string many = "affiliate_id in (";
    for (int i = 0; i < 20; ++i)
        many += (i ? ", \"aff" : "\"aff") + std::to_string(i * 1000) + "\"";
    // aff0, aff1000, aff2000 and aff3000 appear twice (rows i and i + 66000).
    CHECK(rows(t, many + ")").size() == 24);
}

TEST_CASE("integer fields: every comparison and widening", "[segments][eval]") {
    PlayerTable t;
    const std::int64_t values[] = {0, 5, -3, 200, 40'000, 3'000'000'000LL, 7};
    for (std::size_t i = 0; i < std::size(values); ++i) {
        PlayerRow r = player(static_cast<std::int64_t>(i) + 1);
        r.bet_count = values[i];
        t.append(r);
    }
    CHECK(rows(t, "bet_count = 5") == Rows{1});
    CHECK(rows(t, "bet_count != 5") == Rows{0, 2, 3, 4, 5, 6});
    CHECK(rows(t, "bet_count < 5") == Rows{0, 2});
    CHECK(rows(t, "bet_count <= 5") == Rows{0, 1, 2});
    CHECK(rows(t, "bet_count > 200") == Rows{4, 5});
    CHECK(rows(t, "bet_count >= 200") == Rows{3, 4, 5});
    CHECK(rows(t, "bet_count between 0 and 7") == Rows{0, 1, 6});
    CHECK(rows(t, "bet_count not between 0 and 7") == Rows{2, 3, 4, 5});
    CHECK(rows(t, "bet_count in (3000000000, -3, 8)") == Rows{2, 5});
    CHECK(rows(t, "bet_count > 9000000000000000000") == Rows{});
    CHECK(rows(t, "bet_count >= -9223372036854775807") == Rows{0, 1, 2, 3, 4, 5, 6});
    CHECK(rows(t, "bet_count = 5.0") == Rows{1});
    CHECK(rows(t, "player_id in (2, 4)") == Rows{1, 3});
    CHECK(rows(t, "bet_count is null") == Rows{});
}

TEST_CASE("money literals are base-currency major units, exact", "[segments][eval]") {
    PlayerTable t;
    const std::int64_t minor[] = {10'000, 9'999, 10'050, -50, 0};
    for (std::size_t i = 0; i < std::size(minor); ++i) {
        PlayerRow r = player(static_cast<std::int64_t>(i) + 1);
        r.deposit_sum_30d = minor[i];
        t.append(r);
    }
    CHECK(rows(t, "deposit_sum_30d >= 100") == Rows{0, 2});
    CHECK(rows(t, "deposit_sum_30d > 99.99") == Rows{0, 2});
    CHECK(rows(t, "deposit_sum_30d = 100.5") == Rows{2});
    CHECK(rows(t, "deposit_sum_30d = 100.50") == Rows{2});
    CHECK(rows(t, "deposit_sum_30d < 0") == Rows{3});
    CHECK(rows(t, "deposit_sum_30d = -0.5") == Rows{3});
    CHECK(rows(t, "deposit_sum_30d between 99.99 and 100") == Rows{0, 1});
    try {
        (void)compile_rule("deposit_sum_30d > 1.005", t);
        FAIL("no error");
    } catch (const RuleError& e) {
        CHECK(e.detail() == "money literal 1.005 has more than 2 decimals for EUR at column 19");
        CHECK(e.column() == 19);
    }
    // A zero-decimal base currency.
    PlayerTable yen(Currency::of("JPY"));
    PlayerRow r = player(1);
    r.deposit_sum = 100;
    yen.append(r);
    CHECK(rows(yen, "deposit_sum = 100") == Rows{0});
    CHECK_THROWS_AS(compile_rule("deposit_sum = 100.5", yen), RuleError);
}

TEST_CASE("churn_risk compares exactly at 4 decimals", "[segments][eval]") {
    PlayerTable t;
    const double scores[] = {0.7, 0.7001, 0.69999, 1.0, 0.0};
    for (std::size_t i = 0; i < std::size(scores); ++i) {
        PlayerRow r = player(static_cast<std::int64_t>(i) + 1);
        r.churn_risk = scores[i];
        t.append(r);
    }
    // 0.69999 is held as 0.7000.
    CHECK(t.row(2).churn_risk == 0.7);
    CHECK(rows(t, "churn_risk > 0.7") == Rows{1, 3});
    CHECK(rows(t, "churn_risk >= 0.7") == Rows{0, 1, 2, 3});
    CHECK(rows(t, "churn_risk = 0.70") == Rows{0, 2});
    CHECK(rows(t, "churn_risk > 0.70005") == Rows{1, 3});
    CHECK(rows(t, "churn_risk < 0.70005") == Rows{0, 2, 4});
    CHECK(rows(t, "churn_risk = 0.70005").empty());
    CHECK(rows(t, "churn_risk != 0.70005") == Rows{0, 1, 2, 3, 4});
    CHECK(rows(t, "churn_risk between 0 and 0.7") == Rows{0, 2, 4});
    CHECK(rows(t, "churn_risk <= 1") == Rows{0, 1, 2, 3, 4});
    PlayerRow bad = player(99);
    bad.churn_risk = 1.5;
    CHECK_THROWS_AS(t.append(bad), ValidationError);
    bad.churn_risk = std::nan("");
    CHECK_THROWS_AS(t.append(bad), ValidationError);
    CHECK(t.size() == 5);
}

TEST_CASE("booleans", "[segments][eval]") {
    PlayerTable t;
    for (int i = 0; i < 4; ++i) {
        PlayerRow r = player(i + 1);
        r.self_excluded = (i & 1) != 0;
        r.consent_email = (i & 2) != 0;
        t.append(r);
    }
    CHECK(rows(t, "self_excluded") == Rows{1, 3});
    CHECK(rows(t, "not self_excluded") == Rows{0, 2});
    CHECK(rows(t, "self_excluded = true") == Rows{1, 3});
    CHECK(rows(t, "self_excluded != true") == Rows{0, 2});
    CHECK(rows(t, "self_excluded = false") == Rows{0, 2});
    CHECK(rows(t, "self_excluded and consent_email") == Rows{3});
    CHECK(rows(t, "self_excluded or consent_email") == Rows{1, 2, 3});
    CHECK(rows(t, "not (self_excluded or consent_email)") == Rows{0});
    CHECK(rows(t, "true") == Rows{0, 1, 2, 3});
    CHECK(rows(t, "false").empty());
    CHECK(rows(t, "blocked is null").empty());
    CHECK(rows(t, "blocked is not null or false") == Rows{0, 1, 2, 3});
}

TEST_CASE("timestamps compare by UTC date", "[segments][eval]") {
    PlayerTable t;
    const char* logins[] = {"2026-01-30T23:59:59.999Z", "2026-01-31T00:00:00.000Z",
                            "2026-01-31T23:59:59.999Z", "2026-02-01T00:00:00.000Z"};
    for (int i = 0; i < 4; ++i) {
        PlayerRow r = player(i + 1);
        r.last_login_at = at(logins[i]);
        t.append(r);
    }
    t.append(player(5));  // never logged in
    CHECK(rows(t, "last_login_at = 2026-01-31") == Rows{1, 2});
    CHECK(rows(t, "last_login_at != 2026-01-31") == Rows{0, 3});
    CHECK(rows(t, "last_login_at < 2026-01-31") == Rows{0});
    CHECK(rows(t, "last_login_at <= 2026-01-31") == Rows{0, 1, 2});
    CHECK(rows(t, "last_login_at > 2026-01-31") == Rows{3});
    CHECK(rows(t, "last_login_at >= 2026-01-31") == Rows{1, 2, 3});
    CHECK(rows(t, "last_login_at between 2026-01-31 and 2026-02-01") == Rows{1, 2, 3});
    CHECK(rows(t, "last_login_at in (2026-01-30, 2026-02-01)") == Rows{0, 3});
    CHECK(rows(t, "last_login_at is null") == Rows{4});
    CHECK(rows(t, "not (last_login_at > 2026-01-31)") == Rows{0, 1, 2});
    // Dates before 1970 and far in the future widen the day column.
    PlayerRow old = player(6);
    old.last_login_at = at("1901-05-05T10:00:00Z");
    t.append(old);
    PlayerRow future = player(7);
    future.last_login_at = at("2200-01-01T00:00:00Z");
    t.append(future);
    CHECK(rows(t, "last_login_at < 1950-01-01") == Rows{5});
    CHECK(rows(t, "last_login_at > 2100-01-01") == Rows{6});
}

TEST_CASE("days_since_* are whole days before now; null never matches", "[segments][eval]") {
    PlayerTable t;
    // now is 2026-11-22T13:45:12.345Z.
    const char* deposits[] = {
        "2026-11-08T13:45:12.345Z",  // exactly 14 days
        "2026-11-08T13:45:12.346Z",  // 1 ms short of 14 days: 13
        "2026-11-08T13:45:12.344Z",  // 14 days
        "2026-11-07T13:45:12.346Z",  // 14 days
        "2026-11-07T13:45:12.345Z",  // 15 days
        "2026-11-22T13:45:12.346Z",  // 1 ms in the future: -1
        "2026-11-22T00:00:00.000Z",  // 0
    };
    for (std::size_t i = 0; i < std::size(deposits); ++i) {
        PlayerRow r = player(static_cast<std::int64_t>(i) + 1);
        r.last_deposit_at = at(deposits[i]);
        t.append(r);
    }
    t.append(player(100));  // never deposited
    CHECK(std::get<std::int64_t>(t.value(0, "days_since_last_deposit", kNow)) == 14);
    CHECK(std::get<std::int64_t>(t.value(1, "days_since_last_deposit", kNow)) == 13);
    CHECK(std::get<std::int64_t>(t.value(5, "days_since_last_deposit", kNow)) == -1);
    CHECK(std::holds_alternative<std::monostate>(t.value(7, "days_since_last_deposit", kNow)));
    CHECK(rows(t, "days_since_last_deposit = 14") == Rows{0, 2, 3});
    CHECK(rows(t, "days_since_last_deposit = 2w") == Rows{0, 2, 3});
    CHECK(rows(t, "days_since_last_deposit > 14") == Rows{4});
    CHECK(rows(t, "days_since_last_deposit >= 14d") == Rows{0, 2, 3, 4});
    CHECK(rows(t, "days_since_last_deposit < 14") == Rows{1, 5, 6});
    CHECK(rows(t, "days_since_last_deposit <= 13") == Rows{1, 5, 6});
    CHECK(rows(t, "days_since_last_deposit != 14") == Rows{1, 4, 5, 6});
    CHECK(rows(t, "days_since_last_deposit between 0 and 13") == Rows{1, 6});
    CHECK(rows(t, "days_since_last_deposit not between 0 and 13") == Rows{0, 2, 3, 4, 5});
    CHECK(rows(t, "days_since_last_deposit in (13, 15, -1)") == Rows{1, 4, 5});
    CHECK(rows(t, "days_since_last_deposit < 0") == Rows{5});
    CHECK(rows(t, "days_since_last_deposit is null") == Rows{7});
    CHECK(rows(t, "not (days_since_last_deposit > 14)") == Rows{0, 1, 2, 3, 5, 6});
    CHECK(rows(t, "days_since_last_deposit > -9223372036854775807") == Rows{0, 1, 2, 3, 4, 5, 6});
    CHECK(rows(t, "days_since_registration = 681") == Rows{0, 1, 2, 3, 4, 5, 6, 7});
    CHECK(rows(t, "days_since_registration > 681").empty());
    // A later now shifts every answer.
    CHECK(rows(t, "days_since_last_deposit > 14", at("2026-11-23T13:45:12.345Z")) ==
          Rows{0, 2, 3, 4});
}

TEST_CASE("age counts whole years at now, 29 February included", "[segments][eval]") {
    PlayerTable t;
    const char* births[] = {"2008-11-22", "2008-11-23", "2000-02-29", "1960-01-01"};
    for (std::size_t i = 0; i < std::size(births); ++i) {
        PlayerRow r = player(static_cast<std::int64_t>(i) + 1);
        r.birth_date = parse_date(births[i]);
        t.append(r);
    }
    PlayerRow unknown = player(9);
    unknown.birth_date.reset();
    t.append(unknown);
    CHECK(rows(t, "age = 18") == Rows{0});
    CHECK(rows(t, "age < 18") == Rows{1});
    CHECK(rows(t, "age >= 18") == Rows{0, 2, 3});
    CHECK(rows(t, "age between 18 and 26") == Rows{0, 2});
    CHECK(rows(t, "age != 26") == Rows{0, 1, 3});
    CHECK(rows(t, "age in (17, 66)") == Rows{1, 3});
    CHECK(rows(t, "age is null") == Rows{4});
    CHECK(rows(t, "age > 1000000000") == Rows{});
    CHECK(rows(t, "age > -1000000000") == Rows{0, 1, 2, 3});
    // The leap-day baby turns 27 on 1 March 2027, not on 28 February.
    CHECK(rows(t, "age = 27", at("2027-02-28T23:59:59.999Z")) == Rows{});
    CHECK(rows(t, "age = 27", at("2027-03-01T00:00:00Z")) == Rows{2});
    CHECK(rows(t, "age = 28", at("2028-02-29T00:00:00Z")) == Rows{2});
    CHECK(rows(t, "age = 28", at("2028-02-28T00:00:00Z")) == Rows{});
    for (RowIndex r = 0; r < 4; ++r) {
        const auto age = std::get<std::int64_t>(t.value(r, "age", kNow));
        CHECK(age == age_in_years(*t.row(r).birth_date, utc_date(kNow)));
    }
}

TEST_CASE("in_segment reads the resolver's bitmap; unknown segments fail", "[segments][eval]") {
    PlayerTable t;
    for (int i = 0; i < 130; ++i) t.append(player(i + 1));
    Bitmap vip(100);  // shorter than the table: later rows are not members
    vip.set(3);
    vip.set(99);
    const SegmentResolver resolver = [&](std::string_view name) -> const Bitmap* {
        return name == "vip" ? &vip : nullptr;
    };
    CHECK(rows(t, "in_segment(vip)", kNow, resolver) == Rows{3, 99});
    CHECK(rows(t, "not in_segment(vip)", kNow, resolver).size() == 128);
    const CompiledRule live = compile_rule("in_segment(\"vip\")", t, resolver);
    vip.set(50);  // read at evaluation, not copied
    CHECK(live.evaluate(t, kNow).rows() == Rows{3, 50, 99});
    try {
        (void)compile_rule("blocked or in_segment(vipp)", t, resolver);
        FAIL("no error");
    } catch (const RuleError& e) {
        CHECK(e.detail() == "unknown segment 'vipp' at column 12");
    }
    CHECK_THROWS_AS(compile_rule("in_segment(vip)", t), RuleError);
}

TEST_CASE("ab_bucket in rules agrees with the ab_bucket function", "[segments][eval]") {
    PlayerTable t;
    for (int i = 0; i < 1000; ++i) t.append(player(i + 1));
    const Rows zero = rows(t, "ab_bucket(\"hero-banner\", 3) = 0");
    const Rows not_zero = rows(t, "ab_bucket(\"hero-banner\", 3) != 0");
    CHECK(zero.size() + not_zero.size() == 1000);
    for (const RowIndex r : zero) CHECK(ab_bucket("hero-banner", t.external_id(r), 3) == 0);
    for (const RowIndex r : not_zero) CHECK(ab_bucket("hero-banner", t.external_id(r), 3) != 0);
    CHECK(rows(t, "ab_bucket(x, 3) in (0, 1, 2)").size() == 1000);
    CHECK(rows(t, "ab_bucket(x, 3) > 2").empty());
}

TEST_CASE("evaluation is bound to the table it was compiled for", "[segments][eval]") {
    PlayerTable a;
    PlayerTable b;
    a.append(player(1));
    b.append(player(1));
    const CompiledRule rule = compile_rule("blocked", a);
    CHECK_THROWS_AS(rule.evaluate(b, kNow), PreconditionError);
    CHECK_THROWS_AS(rule.matches(b, 0, kNow), PreconditionError);
    CHECK(rule.rule().text() == "blocked");
    CHECK(compile_rule("blocked and not (consent_sms or age > 3)", a).explain() ==
          "and\n  blocked\n  not consent_sms\n  not age > 3\n");
}
