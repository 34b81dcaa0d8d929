// Segments: rule evaluation over the snapshot, named segments, membership history, the
// incremental path and churn risk, on the backend under test.

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "cli/demo_stream.hpp"
#include "pitboss/pitboss.hpp"
#include "pitboss/segments/ab_bucket.hpp"
#include "pitboss/segments/rule.hpp"
#include "support/event_history.hpp"
#include "support/test_backoffice.hpp"

using namespace pitboss;
using namespace pitboss::segments;
using namespace std::chrono;
using pitboss::testing::fresh_backoffice;
using pitboss::testing::TestBackoffice;

namespace {

std::string at(int days_ago, int hour = 12) {
    return format_timestamp(pitboss::testing::fixture_start() - days(days_ago) + hours(hour));
}

std::string registration(const std::string& player, const std::string& country,
                         bool email_consent = true) {
    return R"({"event_id":"reg-)" + player + R"(","type":"registration","player_id":")" + player +
           R"(","occurred_at":")" + at(300) + R"(","country":")" + country +
           R"(","birth_date":"1990-05-06","currency":"EUR","consents":{"email":)" +
           (email_consent ? "true" : "false") + "}}";
}

std::string deposit(const std::string& id, const std::string& player, const std::string& amount,
                    int days_ago) {
    return R"({"event_id":")" + id + R"(","type":"deposit","player_id":")" + player +
           R"(","occurred_at":")" + at(days_ago) + R"(","transaction_id":"t-)" + id +
           R"(","amount":")" + amount + R"(","currency":"EUR","status":"approved"})";
}

std::string login(const std::string& id, const std::string& player, int days_ago) {
    return R"({"event_id":")" + id + R"(","type":"login","player_id":")" + player +
           R"(","occurred_at":")" + at(days_ago) + R"(","session_id":"s-)" + id + R"("})";
}

std::string lines(const std::vector<std::string>& events) {
    std::string out;
    for (const auto& e : events) out += e + "\n";
    return out;
}

PlayerId id_of(TestBackoffice& t, const std::string& external_id) {
    return t.bo.players().get_by_external_id(t.admin, external_id).id;
}

std::vector<PlayerId> ids_of(TestBackoffice& t, std::vector<std::string> external_ids) {
    std::vector<PlayerId> ids;
    for (const auto& e : external_ids) ids.push_back(id_of(t, e));
    std::sort(ids.begin(), ids.end());
    return ids;
}

Actor operator_with_role(TestBackoffice& t, const std::string& name, const std::string& role) {
    auto& access = t.bo.access();
    const auto op = access.create_operator(t.admin, {name, "Test " + name});
    access.assign_role(t.admin, op.id, role);
    return access.operator_actor(op.id);
}

// Four players: DE and AT depositors, a silent MT player, an FR player without consent.
void seed_players(TestBackoffice& t) {
    t.bo.events().ingest_jsonl(
        t.admin,
        lines({registration("de-1", "DE"), registration("at-1", "AT"), registration("mt-1", "MT"),
               registration("fr-1", "FR", false), deposit("d1", "de-1", "150.00", 3),
               deposit("d2", "at-1", "40.00", 10), deposit("d3", "at-1", "80.00", 20),
               deposit("d4", "mt-1", "500.00", 100), login("l1", "de-1", 1), login("l2", "at-1", 2),
               login("l3", "mt-1", 60), login("l4", "fr-1", 5)}));
}

std::vector<PlayerId> member_ids(TestBackoffice& t, const std::string& segment) {
    std::vector<PlayerId> ids;
    for (const auto& m : t.bo.segments().members(t.admin, segment, PlayerId(), 10'000)) {
        ids.push_back(m.player_id);
    }
    return ids;
}

std::vector<transport::OutboxMessage> pending_of(TestBackoffice& t, const std::string& topic) {
    auto tx = t.bo.database().begin(storage::TxMode::kRead);
    std::vector<transport::OutboxMessage> out;
    for (auto& m : t.bo.outbox().pending(tx, 10'000)) {
        if (m.topic == topic) out.push_back(std::move(m));
    }
    return out;
}

}  // namespace

TEST_CASE("rules evaluate over profiles and aggregates", "[segments]") {
    auto t = fresh_backoffice();
    seed_players(t);
    auto& segments = t.bo.segments();
    CHECK(segments.evaluate(t.admin, R"(country in ("DE", "AT"))") == ids_of(t, {"de-1", "at-1"}));
    CHECK(segments.evaluate(t.admin, "deposit_sum_30d >= 100") == ids_of(t, {"de-1", "at-1"}));
    CHECK(segments.evaluate(t.admin, "deposit_sum_30d >= 100 and deposit_count_30d = 1") ==
          ids_of(t, {"de-1"}));
    CHECK(segments.evaluate(t.admin, "days_since_last_login > 14") == ids_of(t, {"mt-1"}));
    CHECK(segments.evaluate(t.admin, "last_deposit_at is null") == ids_of(t, {"fr-1"}));
    CHECK(segments.evaluate(t.admin, "not consent_email") == ids_of(t, {"fr-1"}));
    CHECK(segments.count(t.admin, "churn_risk > 0.5") ==
          static_cast<std::int64_t>(segments.evaluate(t.admin, "churn_risk > 0.5").size()));
    CHECK(segments.count(t.admin, R"(country = "MT" and churn_risk > 0.5)") == 1);
    CHECK(segments.count(t.admin, "player_id > 0") == 4);
    CHECK_THROWS_WITH(segments.evaluate(t.admin, "deposit_sum_31d > 1"),
                      Catch::Contains("unknown field 'deposit_sum_31d' at column 1") &&
                          Catch::Contains("deposit_sum_30d"));
}

TEST_CASE("the snapshot follows profile changes and new events", "[segments]") {
    auto t = fresh_backoffice();
    seed_players(t);
    auto& segments = t.bo.segments();
    CHECK(segments.count(t.admin, "self_excluded") == 0);
    t.bo.players().set_status(t.admin, id_of(t, "at-1"), players::PlayerStatus::kSelfExcluded,
                              "player request");
    CHECK(segments.evaluate(t.admin, "self_excluded") == ids_of(t, {"at-1"}));
    CHECK(segments.evaluate(t.admin, R"(status = "self_excluded")") == ids_of(t, {"at-1"}));
    t.bo.events().ingest(t.admin, deposit("d9", "fr-1", "20.00", 1));
    CHECK(segments.evaluate(t.admin, "deposit_count >= 1 and deposit_sum_7d > 0") ==
          ids_of(t, {"de-1", "fr-1"}));
    t.bo.events().ingest(t.admin, registration("se-1", "SE"));
    CHECK(segments.evaluate(t.admin, R"(country = "SE")") == ids_of(t, {"se-1"}));
    // Time moves: windows slide once the snapshot is older than its maximum age.
    t.clock->set(t.clock->now() + days(5));
    CHECK(segments.evaluate(t.admin, "deposit_sum_7d > 0") == ids_of(t, {"fr-1"}));
    const auto stats = segments.snapshot_stats(t.admin);
    CHECK(stats.players == 5);
    CHECK(stats.memory_bytes > 0);
    CHECK(stats.as_of == t.clock->now());
}

TEST_CASE("previews and frames show chosen fields of the matching players", "[segments]") {
    auto t = fresh_backoffice();
    seed_players(t);
    auto& segments = t.bo.segments();
    const std::vector<std::string> fields{"country", "deposit_sum_30d", "last_deposit_at",
                                          "consent_email"};
    const auto frame = segments.frame(t.admin, "deposit_count > 0", fields);
    REQUIRE(frame.player_ids == ids_of(t, {"de-1", "at-1", "mt-1"}));
    REQUIRE(frame.columns.size() == 4);
    CHECK(frame.fields == fields);
    const auto row = static_cast<std::size_t>(
        std::find(frame.player_ids.begin(), frame.player_ids.end(), id_of(t, "at-1")) -
        frame.player_ids.begin());
    CHECK(std::get<std::string>(frame.columns[0][row]) == "AT");
    CHECK(std::get<std::int64_t>(frame.columns[1][row]) == 12'000);
    CHECK(std::get<Timestamp>(frame.columns[2][row]) == parse_timestamp(at(10)));
    CHECK(std::get<bool>(frame.columns[3][row]) == true);
    const auto preview = segments.preview(t.admin, "deposit_count > 0", fields, 2);
    CHECK(preview.player_ids.size() == 2);
    CHECK(preview.player_ids[0] == frame.player_ids[0]);
    CHECK(preview.columns[0].size() == 2);
    const std::vector<std::string> bad{"nope"};
    CHECK_THROWS_WITH(segments.preview(t.admin, "deposit_count > 0", bad, 2),
                      Catch::Contains("unknown field 'nope'"));
    CHECK_THROWS_AS(segments.preview(t.admin, "deposit_count > 0", fields, 0), ValidationError);
}

TEST_CASE("segment permissions follow the seeded roles", "[segments]") {
    auto t = fresh_backoffice();
    seed_players(t);
    auto& segments = t.bo.segments();
    const Actor marketer = operator_with_role(t, "mia", "marketer");
    const Actor analyst = operator_with_role(t, "ann", "analyst");
    const Actor agent = operator_with_role(t, "sam", "support_agent");
    CHECK(segments.count(marketer, R"(country = "DE")") == 1);
    CHECK(segments.count(analyst, R"(country = "DE")") == 1);
    CHECK_THROWS_AS(segments.count(agent, R"(country = "DE")"), AccessDenied);
    CHECK(segments.create(marketer, NewSegment::dynamic("germans", R"(country = "DE")")).size == 1);
    CHECK_THROWS_AS(segments.create(analyst, NewSegment::dynamic("x", R"(country = "DE")")),
                    AccessDenied);
    CHECK_THROWS_AS(segments.refresh(analyst, "germans"), AccessDenied);
    CHECK(segments.list(analyst).size() == 1);
    CHECK_THROWS_AS(segments.list(agent), AccessDenied);
    CHECK_THROWS_AS(segments.remove(analyst, "germans"), AccessDenied);
    // The denial is audited.
    const auto denials = t.bo.audit().list(t.admin, {});
    CHECK(std::any_of(denials.begin(), denials.end(), [](const audit::Entry& e) {
        return e.action == "access.denied" &&
               e.after.dump().find("segments.write") != std::string::npos;
    }));
}

TEST_CASE("dynamic, static and A/B segments are stored with their members", "[segments]") {
    auto t = fresh_backoffice();
    seed_players(t);
    auto& segments = t.bo.segments();
    const Segment big = segments.create(
        t.admin, NewSegment::dynamic("big-depositors", "deposit_sum >= 100", "over 100 EUR"));
    CHECK(big.kind == SegmentKind::kDynamic);
    CHECK(big.rule == std::optional<std::string>("deposit_sum >= 100"));
    CHECK(big.size == 3);
    CHECK(member_ids(t, "big-depositors") == ids_of(t, {"de-1", "at-1", "mt-1"}));
    const Segment vip = segments.create(
        t.admin,
        NewSegment::static_list("vip", {id_of(t, "fr-1"), id_of(t, "de-1"), id_of(t, "fr-1")}));
    CHECK(vip.size == 2);
    CHECK(member_ids(t, "vip") == ids_of(t, {"fr-1", "de-1"}));
    const Segment split = segments.create(t.admin, NewSegment::ab_split("test-a", 2));
    CHECK(split.size == 4);
    for (const auto& m : segments.members(t.admin, "test-a")) {
        const auto external = t.bo.players().get_player(t.admin, m.player_id).external_id;
        CHECK(m.bucket == static_cast<int>(ab_bucket("test-a", external, 2)));
    }
    const Segment child =
        segments.create(t.admin, NewSegment::ab_split("big-split", 3, "big-depositors"));
    CHECK(child.parent == std::optional<std::string>("big-depositors"));
    CHECK(child.size == 3);
    // A rule may use a stored segment.
    const Segment both = segments.create(
        t.admin,
        NewSegment::dynamic("vip-big", R"(in_segment("vip") and in_segment("big-depositors"))"));
    CHECK(both.size == 1);
    CHECK(segments.evaluate(t.admin, "in_segment(vip) and not in_segment(\"big-depositors\")") ==
          ids_of(t, {"fr-1"}));

    const auto all = segments.list(t.admin);
    REQUIRE(all.size() == 5);
    CHECK(all[0].name == "big-depositors");
    CHECK(all[0].description == "over 100 EUR");
    CHECK(segments.get(t.admin, "vip").kind == SegmentKind::kStatic);
    CHECK(to_json(segments.get(t.admin, "big-split"))["parent"] == "big-depositors");
    CHECK(segments.members(t.admin, "test-a", PlayerId(), 2).size() == 2);

    // Validation names the field; nothing is written.
    CHECK_THROWS_AS(segments.create(t.admin, NewSegment::dynamic("vip", "bet_count > 1")),
                    ConflictError);
    CHECK_THROWS_WITH(segments.create(t.admin, NewSegment::dynamic("bad rule", "bet_count > 1")),
                      Catch::Contains("name"));
    CHECK_THROWS_WITH(segments.create(t.admin, NewSegment::dynamic("r", "bet_count >")),
                      Catch::Contains("rule") && Catch::Contains("column"));
    CHECK_THROWS_WITH(segments.create(t.admin, NewSegment::dynamic("r", "in_segment(nope)")),
                      Catch::Contains("nope"));
    CHECK_THROWS_WITH(segments.create(t.admin, NewSegment::ab_split("s", 1)),
                      Catch::Contains("buckets"));
    CHECK_THROWS_AS(segments.create(t.admin, NewSegment::ab_split("s", 2, "nope")), NotFoundError);
    CHECK_THROWS_WITH(
        segments.create(t.admin, NewSegment::static_list("s", {id_of(t, "de-1"), PlayerId(999)})),
        Catch::Contains("player 999 not found"));
    CHECK(segments.list(t.admin).size() == 5);

    // Deletion refuses while others use the segment.
    CHECK_THROWS_WITH(segments.remove(t.admin, "big-depositors"), Catch::Contains("big-split"));
    CHECK_THROWS_WITH(segments.remove(t.admin, "vip"), Catch::Contains("vip-big"));
    segments.remove(t.admin, "vip-big");
    segments.remove(t.admin, "vip");
    CHECK_THROWS_AS(segments.get(t.admin, "vip"), NotFoundError);
    CHECK(pending_of(t, "segment.deleted").size() == 2);
    CHECK(segments.list(t.admin).size() == 3);
}

TEST_CASE("refresh writes entered and exited events and a history", "[segments]") {
    auto t = fresh_backoffice();
    seed_players(t);
    auto& segments = t.bo.segments();
    const Timestamp created_at = t.clock->now();
    segments.create(t.admin, NewSegment::dynamic("recent", "days_since_last_login <= 7"));
    CHECK(member_ids(t, "recent") == ids_of(t, {"de-1", "at-1", "fr-1"}));
    auto entered = pending_of(t, "segment.entered");
    REQUIRE(entered.size() == 3);
    CHECK(entered[0].payload["segment"] == "recent");
    CHECK(entered[0].key ==
          "player:" + std::to_string(entered[0].payload["player_id"].get<std::int64_t>()));

    // A week later at-1 (last login 8 days ago) and fr-1 (11) have left; refresh says so.
    t.clock->set(created_at + days(7));
    CHECK(segments.refresh(t.admin, "recent") == RefreshResult{0, 2, 1});
    CHECK(member_ids(t, "recent") == ids_of(t, {"de-1"}));
    const auto exited = pending_of(t, "segment.exited");
    REQUIRE(exited.size() == 2);
    std::set<std::int64_t> left;
    for (const auto& m : exited) left.insert(m.payload["player_id"].get<std::int64_t>());
    CHECK(left == std::set<std::int64_t>{id_of(t, "at-1").value(), id_of(t, "fr-1").value()});
    CHECK(segments.refresh(t.admin, "recent") == RefreshResult{0, 0, 1});
    CHECK(segments.get(t.admin, "recent").refreshed_at == t.clock->now());

    // A login brings at-1 back through the incremental path, at once.
    t.clock->set(created_at + days(7) + hours(1));
    t.bo.events().ingest(t.admin, login("l9", "at-1", -5));
    CHECK(member_ids(t, "recent") == ids_of(t, {"de-1", "at-1"}));
    CHECK(pending_of(t, "segment.entered").size() == 4);

    // Membership on a date, from the history.
    CHECK(segments.members_on(t.admin, "recent", created_at) ==
          ids_of(t, {"de-1", "at-1", "fr-1"}));
    CHECK(segments.members_on(t.admin, "recent", created_at + days(3)) ==
          ids_of(t, {"de-1", "at-1", "fr-1"}));
    CHECK(segments.members_on(t.admin, "recent", created_at + days(7)) == ids_of(t, {"de-1"}));
    CHECK(segments.members_on(t.admin, "recent", t.clock->now()) == ids_of(t, {"de-1", "at-1"}));
    CHECK(segments.members_on(t.admin, "recent", created_at - milliseconds(1)).empty());

    // Every change is audited.
    const auto entries = t.bo.audit().list(t.admin, {});
    const auto refreshed = std::count_if(entries.begin(), entries.end(), [](const audit::Entry& e) {
        return e.action == "segment.refreshed";
    });
    CHECK(refreshed == 3);
    CHECK(std::any_of(entries.begin(), entries.end(), [](const audit::Entry& e) {
        return e.action == "segment.membership_updated" && e.actor == "system:segment-engine";
    }));
}

TEST_CASE("incremental membership agrees with a full re-evaluation", "[segments][incremental]") {
    const std::uint32_t seed = GENERATE(11u, 12u);
    auto t = fresh_backoffice();
    auto& segments = t.bo.segments();
    t.bo.events().set_fx_rate(t.admin, "USD", "0.92", t.clock->now() - days(400));
    // Segments exist before any player: every membership comes from the incremental path.
    const std::vector<NewSegment> definitions{
        NewSegment::dynamic("depositors", "deposit_sum_30d >= 200"),
        NewSegment::dynamic("active", "days_since_last_login <= 20 or bet_count >= 8"),
        NewSegment::dynamic("winners", "win_sum > 300 and bet_count > 0"),
        NewSegment::dynamic("lapsed", "churn_risk >= 0.6 and deposit_count >= 1"),
        NewSegment::dynamic("active-depositors",
                            "in_segment(active) and in_segment(depositors) and ngr > 0"),
        NewSegment::ab_split("all-split", 4),
        NewSegment::ab_split("active-split", 3, "active"),
    };
    for (const auto& d : definitions) segments.create(t.admin, d);
    const auto generated = pitboss::testing::random_event_history(seed, 30, 1200, t.clock->now());
    std::mt19937 rng(seed);
    std::size_t offset = 0;
    while (offset < generated.lines.size()) {
        const std::size_t n =
            std::min<std::size_t>(generated.lines.size() - offset, 1 + rng() % 150);
        t.bo.events().ingest_jsonl(
            t.admin, lines({generated.lines.begin() + static_cast<std::ptrdiff_t>(offset),
                            generated.lines.begin() + static_cast<std::ptrdiff_t>(offset + n)}));
        offset += n;
    }
    std::map<std::string, std::vector<SegmentMember>> incremental;
    for (const auto& d : definitions) incremental[d.name] = segments.members(t.admin, d.name);
    CHECK(incremental["all-split"].size() == 30);
    std::size_t nonempty = 0;
    for (const auto& d : definitions) {
        INFO("segment " << d.name);
        if (!incremental[d.name].empty()) ++nonempty;
        CHECK(segments.refresh(t.admin, d.name) ==
              RefreshResult{0, 0, static_cast<std::int64_t>(incremental[d.name].size())});
        CHECK(segments.members(t.admin, d.name) == incremental[d.name]);
        if (d.kind == SegmentKind::kDynamic) {
            std::vector<PlayerId> ids;
            for (const auto& m : incremental[d.name]) ids.push_back(m.player_id);
            CHECK(segments.evaluate(t.admin, d.rule) == ids);
        }
    }
    CHECK(nonempty >= 5);
    // Entered and exited events replay to the same membership.
    std::map<std::string, std::set<std::int64_t>> replayed;
    auto tx = t.bo.database().begin(storage::TxMode::kRead);
    for (const auto& m : t.bo.outbox().pending(tx, 10'000)) {
        if (m.topic == "segment.entered") {
            replayed[m.payload["segment"]].insert(m.payload["player_id"].get<std::int64_t>());
        } else if (m.topic == "segment.exited") {
            replayed[m.payload["segment"]].erase(m.payload["player_id"].get<std::int64_t>());
        }
    }
    for (const auto& d : definitions) {
        std::set<std::int64_t> ids;
        for (const auto& m : incremental[d.name]) ids.insert(m.player_id.value());
        CHECK(replayed[d.name] == ids);
    }
}

TEST_CASE("churn risk separates the demo's churners (AUC)", "[segments][churn]") {
    auto t = fresh_backoffice();
    cli::DemoStreamOptions options;
    options.players = 600;
    options.seed = 7;
    options.end = t.clock->now();
    std::string stream;
    const auto summary = cli::generate_demo_stream(options, [&](std::string_view line) {
        stream.append(line);
        stream.push_back('\n');
    });
    t.bo.events().ingest_jsonl(t.admin, stream);
    const std::vector<std::string> fields{"churn_risk"};
    const auto frame = t.bo.segments().frame(t.admin, "player_id > 0", fields);
    std::map<std::int64_t, double> risk;
    for (std::size_t i = 0; i < frame.player_ids.size(); ++i) {
        risk[frame.player_ids[i].value()] = std::get<double>(frame.columns[0][i]);
    }
    std::vector<double> churners;
    std::vector<double> others;
    for (const auto& p : summary.players) {
        const double r = risk.at(id_of(t, p.external_id).value());
        (p.profile == cli::StreamProfile::kChurner ? churners : others).push_back(r);
    }
    REQUIRE(!churners.empty());
    // AUC: the chance a random churner scores above a random other player (ties count half).
    double wins = 0;
    for (const double c : churners) {
        for (const double o : others) wins += c > o ? 1.0 : (c == o ? 0.5 : 0.0);
    }
    const double auc = wins / static_cast<double>(churners.size() * others.size());
    std::cout << "churn_risk AUC vs demo churners: " << auc << " (" << churners.size()
              << " churners, " << others.size() << " others)\n";
    CHECK(auc > 0.8);
}
