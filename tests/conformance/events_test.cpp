// Event ingestion and aggregates, on the backend under test.

#include <catch2/catch.hpp>
#include <chrono>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "pitboss/pitboss.hpp"
#include "support/event_history.hpp"
#include "support/test_backoffice.hpp"
#include "support/test_database.hpp"

using namespace pitboss;
using namespace pitboss::events;
using namespace std::chrono;
using pitboss::testing::fresh_backoffice;
using pitboss::testing::TestBackoffice;

namespace {

std::string at(int day, int hour = 12, int minute = 0) {
    // Days before the fixture clock (2026-01-01T00:00:00Z): day 1 is 2025-12-31.
    const Timestamp t =
        pitboss::testing::fixture_start() - days(day) + hours(hour) + minutes(minute);
    return format_timestamp(t);
}

std::string registration(const std::string& id, const std::string& player,
                         const std::string& currency = "EUR", const std::string& country = "MT") {
    return R"({"event_id":")" + id + R"(","type":"registration","player_id":")" + player +
           R"(","occurred_at":")" + at(200) + R"(","country":")" + country +
           R"(","birth_date":"1990-05-06","currency":")" + currency +
           R"(","email":"p@example.com","consents":{"email":true}})";
}

std::string deposit(const std::string& id, const std::string& player, const std::string& txn,
                    const std::string& amount, const std::string& status, const std::string& when,
                    const std::string& currency = "EUR") {
    return R"({"event_id":")" + id + R"(","type":"deposit","player_id":")" + player +
           R"(","occurred_at":")" + when + R"(","transaction_id":")" + txn + R"(","amount":")" +
           amount + R"(","currency":")" + currency + R"(","status":")" + status + R"("})";
}

std::string bet(const std::string& id, const std::string& player, const std::string& amount,
                const std::string& when, const std::string& game_type = "slots") {
    return R"({"event_id":")" + id + R"(","type":"bet","player_id":")" + player +
           R"(","occurred_at":")" + when + R"(","round_id":"r-)" + id +
           R"(","game_id":"g1","game_type":")" + game_type + R"(","amount":")" + amount +
           R"(","currency":"EUR"})";
}

std::string win(const std::string& id, const std::string& player, const std::string& amount,
                const std::string& when) {
    return R"({"event_id":")" + id + R"(","type":"win","player_id":")" + player +
           R"(","occurred_at":")" + when + R"(","round_id":"r-)" + id +
           R"(","game_id":"g1","amount":")" + amount + R"(","currency":"EUR"})";
}

std::string lines(const std::vector<std::string>& events) {
    std::string out;
    for (const auto& e : events) out += e + "\n";
    return out;
}

PlayerId player_id(TestBackoffice& t, const std::string& external_id) {
    return t.bo.players().get_by_external_id(t.admin, external_id).id;
}

Aggregates figures(TestBackoffice& t, const std::string& external_id) {
    return t.bo.events().aggregates(t.admin, player_id(t, external_id));
}

}  // namespace

TEST_CASE("ingestion counts accepted, duplicate and quarantined events", "[events]") {
    auto t = fresh_backoffice();
    const auto counts = t.bo.events().ingest_jsonl(
        t.admin,
        lines({registration("e1", "p1"), deposit("e2", "p1", "t1", "25.00", "approved", at(3)),
               deposit("e2", "p1", "t1", "25.00", "approved", at(3)),
               deposit("e3", "p1", "t2", "1.234", "approved", at(3)),
               bet("e4", "nobody", "1.00", at(2)), "{not json"}));
    CHECK(counts == IngestCounts{2, 1, 3});
    CHECK(t.bo.events().ingest_jsonl(t.admin, lines({deposit("e2", "p1", "t1", "25.00", "approved",
                                                             at(3))})) == IngestCounts{0, 1, 0});
    const auto a = figures(t, "p1");
    CHECK(a.deposit_count == 1);
    CHECK(a.deposit_sum.base == Money(2500, Currency::of("EUR")));

    const auto quarantined = t.bo.events().quarantine(t.admin);
    REQUIRE(quarantined.size() == 3);
    CHECK(quarantined[0].event_id == "e3");
    CHECK(quarantined[0].field == "amount");
    CHECK(quarantined[1].reason.find("unknown player") != std::string::npos);
    CHECK(quarantined[1].field == "player_id");
    CHECK(quarantined[2].field == "json");
    CHECK(quarantined[2].raw == "{not json");
    CHECK(t.bo.events().quarantine_size(t.admin) == 3);
    CHECK(t.bo.audit().verify().ok);
}

TEST_CASE("a registration creates the master profile and a repeated one updates it", "[events]") {
    auto t = fresh_backoffice();
    t.bo.events().ingest(t.admin, registration("r1", "p1", "EUR", "MT"));
    auto player = t.bo.players().get_by_external_id(t.admin, "p1");
    CHECK(player.country == "MT");
    CHECK(player.consents.email);
    t.bo.events().ingest(t.admin, registration("r2", "p1", "EUR", "DE"));
    player = t.bo.players().get_by_external_id(t.admin, "p1");
    CHECK(player.country == "DE");
    CHECK(player.version == 2);
    // A wallet currency never changes: the event is quarantined, the profile stays.
    const auto counts = t.bo.events().ingest(t.admin, registration("r3", "p1", "USD", "DE"));
    CHECK(counts.quarantined == 1);
    CHECK(t.bo.events().quarantine(t.admin).at(0).field == "currency");
    // An invalid profile is quarantined with the players module's reason.
    const auto bad = t.bo.events().ingest(
        t.admin, R"({"event_id":"r4","type":"registration","player_id":"p2","occurred_at":")" +
                     at(1) + R"(","country":"XX","birth_date":"1990-01-01","currency":"EUR"})");
    CHECK(bad.quarantined == 1);
    CHECK(t.bo.events().quarantine(t.admin).at(1).field == "country");
}

TEST_CASE("a transaction's latest status decides, whatever the arrival order", "[events]") {
    auto t = fresh_backoffice();
    t.bo.events().ingest(t.admin, registration("r1", "p1"));
    // approved arrives first, pending (earlier) later: counted once.
    t.bo.events().ingest(t.admin, deposit("d2", "p1", "t1", "50.00", "approved", at(5, 12, 1)));
    t.bo.events().ingest(t.admin, deposit("d1", "p1", "t1", "50.00", "pending", at(5, 12, 0)));
    CHECK(figures(t, "p1").deposit_count == 1);
    // declined later: no longer counted.
    t.bo.events().ingest(t.admin, deposit("d3", "p1", "t1", "50.00", "declined", at(4)));
    CHECK(figures(t, "p1").deposit_count == 0);
    // another player's event cannot join the transaction.
    t.bo.events().ingest(t.admin, registration("r2", "p2"));
    const auto counts =
        t.bo.events().ingest(t.admin, deposit("d4", "p2", "t1", "50.00", "approved", at(3)));
    CHECK(counts.quarantined == 1);
    CHECK(t.bo.events().quarantine(t.admin).at(0).field == "transaction_id");
}

TEST_CASE("windows include an event exactly N days old and exclude one a millisecond older",
          "[events]") {
    auto t = fresh_backoffice();
    const Timestamp now = t.clock->now();
    t.bo.events().ingest(t.admin, registration("r1", "p1"));
    t.bo.events().ingest_jsonl(
        t.admin,
        lines({deposit("d1", "p1", "t1", "10.00", "approved", format_timestamp(now - days(30))),
               deposit("d2", "p1", "t2", "20.00", "approved",
                       format_timestamp(now - days(30) - milliseconds(1)))}));
    const auto a = figures(t, "p1");
    CHECK(a.deposits_30d.count == 1);
    CHECK(a.deposits_30d.sum.player.minor_units() == 1000);
    CHECK(a.deposits_90d.count == 2);
    CHECK(a.days_since_last_deposit == 30);
    // Later, the window moves with the clock.
    t.clock->advance(days(1));
    CHECK(figures(t, "p1").deposits_30d.count == 0);
}

TEST_CASE("amounts convert into the player's and the base currency at the event's rate",
          "[events]") {
    auto t = fresh_backoffice();
    const Timestamp now = t.clock->now();
    t.bo.events().set_fx_rate(t.admin, "USD", "0.9", now - days(100));
    t.bo.events().set_fx_rate(t.admin, "USD", "0.8", now - days(10));
    t.bo.events().set_fx_rate(t.admin, "GBP", "1.2", now - days(100));
    t.bo.events().ingest(t.admin, registration("r1", "p1", "GBP"));
    const auto counts = t.bo.events().ingest_jsonl(
        t.admin, lines({deposit("d1", "p1", "t1", "100.00", "approved", at(20), "USD"),
                        deposit("d2", "p1", "t2", "100.00", "approved", at(5), "USD"),
                        deposit("d3", "p1", "t3", "100.00", "approved", at(5), "SEK")}));
    CHECK(counts == IngestCounts{2, 0, 1});
    const auto a = figures(t, "p1");
    CHECK(a.deposit_sum.base == Money(9000 + 8000, Currency::of("EUR")));
    // 90 EUR = 75 GBP; 80 EUR = 66.666.. GBP -> 66.67
    CHECK(a.deposit_sum.player == Money(7500 + 6667, Currency::of("GBP")));
    CHECK(t.bo.events().quarantine(t.admin).at(0).reason.find("SEK") != std::string::npos);
    CHECK(t.bo.events().fx_rates(t.admin).size() == 3);
    CHECK_THROWS_AS(t.bo.events().set_fx_rate(t.admin, "EUR", "1", now), ValidationError);
    CHECK_THROWS_AS(t.bo.events().set_fx_rate(t.admin, "USD", "-1", now), ValidationError);
}

TEST_CASE("aggregates as of a past moment leave later events out", "[events]") {
    auto t = fresh_backoffice();
    t.bo.events().ingest(t.admin, registration("r1", "p1"));
    t.bo.events().ingest_jsonl(
        t.admin, lines({bet("b1", "p1", "5.00", at(10)), bet("b2", "p1", "7.00", at(2)),
                        win("w1", "p1", "3.00", at(2))}));
    const PlayerId id = player_id(t, "p1");
    const Timestamp past = t.clock->now() - days(5);
    const auto then = t.bo.events().aggregates_at(t.admin, id, past);
    CHECK(then.bet_count == 1);
    CHECK(then.ggr.base.minor_units() == 500);
    const auto now = t.bo.events().aggregates(t.admin, id);
    CHECK(now.bet_count == 2);
    CHECK(now.ggr.base.minor_units() == 900);
}

TEST_CASE("a second back office on the same database sees the same aggregates", "[events]") {
    const std::string url = pitboss::testing::fresh_database_url();
    auto clock = std::make_shared<ManualClock>(pitboss::testing::fixture_start());
    Options options;
    options.clock = clock;
    auto first = open(url, options);
    const Actor admin = first.access().system_actor("bootstrap");
    first.events().ingest_jsonl(admin,
                                lines({registration("r1", "p1"), bet("b1", "p1", "5.00", at(3))}));
    auto second = open(url, options);
    const PlayerId id = second.players().get_by_external_id(admin, "p1").id;
    CHECK(second.events().aggregates(admin, id).bet_count == 1);
    // The second one ingests; the first catches up from the log before its next commit.
    second.events().ingest(admin, bet("b2", "p1", "6.00", at(2)));
    first.events().ingest(admin, bet("b3", "p1", "7.00", at(1)));
    CHECK(first.events().aggregates(admin, id).bet_count == 3);
    CHECK(second.events().aggregates(admin, id).bet_count == 3);
    auto third = open(url, options);
    CHECK(third.events().aggregates(admin, id) == first.events().aggregates(admin, id));
}

TEST_CASE("ingestion needs events.ingest and reading needs events.read", "[events][access]") {
    auto t = fresh_backoffice();
    t.bo.events().ingest(t.admin, registration("r1", "p1"));
    access::NewOperator input;
    input.name = "agent";
    input.display_name = "Agent";
    const auto agent_id = t.bo.access().create_operator(t.admin, input).id;
    t.bo.access().assign_role(t.admin, agent_id, "support_agent");
    const Actor agent = t.bo.access().operator_actor(agent_id);
    CHECK_THROWS_AS(t.bo.events().ingest(agent, bet("b1", "p1", "1.00", at(1))), AccessDenied);
    CHECK(t.bo.events().aggregates(agent, player_id(t, "p1")).bet_count == 0);
    const Actor platform = t.bo.access().system_actor("platform");
    CHECK(t.bo.events().ingest(platform, bet("b1", "p1", "1.00", at(1))).accepted == 1);
    CHECK_THROWS_AS(t.bo.events().aggregates(platform, player_id(t, "p1")), AccessDenied);
}

TEST_CASE("a stream commits in batches and gives the same result as one call", "[events]") {
    std::vector<std::string> events{registration("r1", "p1"), registration("r2", "p2")};
    for (int i = 0; i < 300; ++i) {
        events.push_back(bet("b" + std::to_string(i), i % 2 ? "p1" : "p2", "1.50", at(1 + i % 40)));
    }
    auto whole = fresh_backoffice();
    whole.bo.events().ingest_jsonl(whole.admin, lines(events));

    auto streamed = fresh_backoffice();
    std::istringstream in(lines(events));
    CHECK(streamed.bo.events().ingest_stream(streamed.admin, in) == IngestCounts{302, 0, 0});
    CHECK(figures(streamed, "p1").bet_count == 150);
    CHECK(figures(whole, "p1").bet_sum == figures(streamed, "p1").bet_sum);
}

TEST_CASE("aggregates equal a brute-force recomputation from the raw events",
          "[events][property]") {
    const std::uint32_t seed = GENERATE(1u, 2u, 3u);
    auto t = fresh_backoffice();
    t.bo.events().set_fx_rate(t.admin, "USD", "0.92", t.clock->now() - days(400));
    const auto generated = pitboss::testing::random_event_history(seed, 40, 1500, t.clock->now());
    // Arrival order differs from time order; ingest in a few calls of uneven size.
    std::size_t offset = 0;
    std::mt19937 rng(seed);
    while (offset < generated.lines.size()) {
        const std::size_t n =
            std::min<std::size_t>(generated.lines.size() - offset, 1 + rng() % 400);
        std::vector<std::string> part(
            generated.lines.begin() + static_cast<std::ptrdiff_t>(offset),
            generated.lines.begin() + static_cast<std::ptrdiff_t>(offset + n));
        t.bo.events().ingest_jsonl(t.admin, lines(part));
        offset += n;
    }
    for (const Timestamp as_of :
         {t.clock->now(), t.clock->now() - days(17), t.clock->now() - days(45) + hours(5)}) {
        const auto all = t.bo.events().aggregates_of(t.admin, {}, as_of);
        REQUIRE(all.size() == generated.players.size());
        for (const auto& a : all) {
            INFO("player " << a.external_id << " as of " << format_timestamp(as_of));
            CHECK(a == pitboss::testing::reference_aggregates(generated, a.player_id, a.external_id,
                                                              as_of));
        }
    }
}
