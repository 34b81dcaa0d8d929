#include "pitboss/segments/player_table.hpp"

#include <catch2/catch.hpp>

#include "pitboss/core/error.hpp"
#include "segments/columns.hpp"

using namespace pitboss;
using namespace pitboss::segments;

namespace {

PlayerRow full_row(std::int64_t id) {
    PlayerRow r;
    r.player_id = PlayerId(id);
    r.external_id = "ext-" + std::to_string(id);
    r.country = "MT";
    r.language = "en";
    r.currency = "EUR";
    r.traffic_source = "seo";
    r.affiliate_id = "aff-9";
    r.status = "active";
    r.birth_date = parse_date("1985-03-04");
    r.registered_at = parse_timestamp("2024-02-03T04:05:06.789Z");
    r.self_excluded = true;
    r.consent_sms = true;
    r.consent_messenger = true;
    r.deposit_count = 12;
    r.deposit_sum = 123'456;
    r.deposit_count_7d = 1;
    r.deposit_sum_7d = 500;
    r.deposit_count_30d = 3;
    r.deposit_sum_30d = 9'000;
    r.deposit_count_90d = 5;
    r.deposit_sum_90d = 15'000;
    r.first_deposit_at = parse_timestamp("2024-02-04T00:00:00Z");
    r.last_deposit_at = parse_timestamp("1969-12-31T23:59:59.999Z");
    r.withdrawal_count = 2;
    r.withdrawal_sum = 40'000;
    r.bet_count = 5'000'000'000LL;
    r.bet_sum = -7;
    r.win_sum = 1;
    r.ggr = -1'000'000'000'000LL;
    r.ngr = 3;
    r.bonus_sum = 4;
    r.login_count = 70;
    r.session_count = 69;
    r.last_login_at = parse_timestamp("2026-11-20T10:00:00Z");
    r.active_days_30d = 9;
    r.favourite_game_type = "slots";
    r.churn_risk = 0.1234;
    r.tier = "gold";
    r.kyc_status = "verified";
    return r;
}

}  // namespace

TEST_CASE("rows round-trip through the columns", "[segments][table]") {
    PlayerTable t;
    const PlayerRow a = full_row(10);
    PlayerRow b;  // defaults: nulls and zeros
    b.player_id = PlayerId(11);
    b.external_id = "";
    CHECK(t.append(a) == 0);
    CHECK(t.append(b) == 1);
    CHECK(t.size() == 2);
    CHECK(t.row(0) == a);
    CHECK(t.row(1) == b);
    CHECK(t.row_of(PlayerId(11)) == RowIndex{1});
    CHECK_FALSE(t.row_of(PlayerId(12)).has_value());
    CHECK(t.external_id(0) == "ext-10");
    CHECK(t.player_id(1) == PlayerId(11));
    CHECK_THROWS_AS(t.row(2), NotFoundError);
    CHECK(t.base_currency() == Currency::of("EUR"));
    CHECK(t.memory_bytes() > 0);
}

TEST_CASE("value() gives every field typed, with derived fields at now", "[segments][table]") {
    PlayerTable t;
    t.append(full_row(1));
    const Timestamp now = parse_timestamp("2026-11-22T12:00:00Z");
    CHECK(std::get<std::string>(t.value(0, "country", now)) == "MT");
    CHECK(std::get<std::int64_t>(t.value(0, "age", now)) == 41);
    CHECK(std::get<std::int64_t>(t.value(0, "days_since_last_login", now)) == 2);
    CHECK(std::get<std::int64_t>(t.value(0, "deposit_sum_30d", now)) == 9'000);
    CHECK(std::get<bool>(t.value(0, "self_excluded", now)));
    CHECK(std::get<double>(t.value(0, "churn_risk", now)) == 0.1234);
    CHECK(std::get<Timestamp>(t.value(0, "registered_at", now)) ==
          parse_timestamp("2024-02-03T04:05:06.789Z"));
    CHECK(std::get<std::int64_t>(t.value(0, "player_id", now)) == 1);
    CHECK_THROWS_AS(t.value(0, "nope", now), ValidationError);
    CHECK_THROWS_AS(t.value(5, "country", now), NotFoundError);
    // Every listed field has a value accessor.
    for (const FieldInfo& f : fields()) CHECK_NOTHROW(t.value(0, f.name, now));
    CHECK(fields().size() == 44);
    CHECK(find_field("deposit_sum_30d")->type == FieldType::kMoney);
    CHECK(find_field("nope") == nullptr);
    CHECK(to_string(FieldType::kTimestamp) == "timestamp");
}

TEST_CASE("append and update validate before writing", "[segments][table]") {
    PlayerTable t;
    t.append(full_row(1));
    CHECK_THROWS_AS(t.append(full_row(1)), ConflictError);
    PlayerRow other = full_row(2);
    CHECK_THROWS_AS(t.update(0, other), ValidationError);
    CHECK_THROWS_AS(t.update(3, other), NotFoundError);
    PlayerRow bad = full_row(1);
    bad.churn_risk = -0.1;
    CHECK_THROWS_AS(t.update(0, bad), ValidationError);
    bad = full_row(1);
    bad.bet_count = std::numeric_limits<std::int64_t>::min();
    CHECK_THROWS_AS(t.update(0, bad), ValidationError);
    CHECK(t.row(0) == full_row(1));
    CHECK(t.size() == 1);
}

TEST_CASE("update replaces every value, including the external id", "[segments][table]") {
    PlayerTable t;
    t.append(full_row(1));
    t.append(full_row(2));
    PlayerRow changed = full_row(1);
    changed.external_id = "renamed";
    changed.country = "DE";
    changed.traffic_source.reset();
    changed.last_login_at.reset();
    changed.bet_count = 1;
    t.update(0, changed);
    CHECK(t.row(0) == changed);
    CHECK(t.row(1) == full_row(2));
    CHECK(t.external_id(0) == "renamed");
    CHECK(t.upsert(full_row(3)) == 2);
    CHECK(t.upsert(full_row(1)) == 0);
    CHECK(t.row(0) == full_row(1));
}

TEST_CASE("integer columns widen on demand and keep nulls", "[segments][table]") {
    detail::IntColumn c;
    c.push(1);
    c.push(std::nullopt);
    CHECK(c.data().index() == 0);
    c.push(-128);  // int8's minimum is the null value: needs int16
    CHECK(c.data().index() == 1);
    c.push(70'000);
    CHECK(c.data().index() == 2);
    c.set(0, 1LL << 40);
    CHECK(c.data().index() == 3);
    CHECK(c.get(0) == (1LL << 40));
    CHECK_FALSE(c.get(1).has_value());
    CHECK(c.get(2) == -128);
    CHECK(c.get(3) == 70'000);
    CHECK(c.size() == 4);
    CHECK_THROWS_AS(c.push(std::numeric_limits<std::int64_t>::min()), ValidationError);
}

TEST_CASE("bitmaps", "[segments][table]") {
    Bitmap b(130, true);
    CHECK(b.count() == 130);
    b.reset(64);
    CHECK_FALSE(b.test(64));
    CHECK_FALSE(b.test(500));
    b.resize(65);
    CHECK(b.count() == 64);
    b.resize(200);
    CHECK(b.count() == 64);
    CHECK(b.rows().size() == 64);
    CHECK(b.rows().back() == 63);
    Bitmap c(65);
    c.set(0);
    c.set(64);
    CHECK(c.rows() == std::vector<RowIndex>{0, 64});
    PlayerTable t;
    PlayerRow r;
    r.player_id = PlayerId(9);
    t.append(r);
    r.player_id = PlayerId(4);
    t.append(r);
    CHECK(t.player_ids(Bitmap(2, true)) == std::vector<PlayerId>{PlayerId(4), PlayerId(9)});
}
