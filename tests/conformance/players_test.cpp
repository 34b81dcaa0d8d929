// The player master-profile service, on the backend under test.

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "pitboss/pitboss.hpp"
#include "support/test_backoffice.hpp"

using namespace pitboss;
using namespace pitboss::players;
using namespace std::chrono;
using pitboss::testing::fresh_backoffice;
using pitboss::testing::TestBackoffice;

namespace {

NewPlayer new_player(std::string external_id, std::string country = "DE") {
    NewPlayer p;
    p.external_id = std::move(external_id);
    p.email = "player@example.com";
    p.phone = "+4915112345678";
    p.country = std::move(country);
    p.birth_date = year(1990) / March / 4;
    p.currency = "EUR";
    p.language = "de";
    p.traffic_source = "affiliate";
    p.affiliate_id = "aff-7";
    p.consents = Consents{true, false, true, false};
    p.tags = {"vip", "casino", "vip"};
    return p;
}

std::int64_t audit_count(TestBackoffice& t) { return t.bo.audit().verify().entries_checked; }

std::vector<transport::OutboxMessage> outbox_messages(TestBackoffice& t) {
    auto tx = t.bo.database().begin(storage::TxMode::kRead);
    return t.bo.outbox().pending(tx, 10'000);
}

audit::Entry last_audit_entry(TestBackoffice& t) {
    const auto entries = t.bo.audit().list(t.admin, {}, 10'000);
    REQUIRE_FALSE(entries.empty());
    return entries.back();
}

// An operator holding `role` (created here with the given permissions), optionally scoped.
Actor operator_with(TestBackoffice& t, const std::string& name,
                    const std::vector<std::string_view>& permissions, const Json& scope = {}) {
    auto& access = t.bo.access();
    const std::string role = name + "_role";
    access.create_role(t.admin, role, "test role for " + name);
    for (const auto permission : permissions) access.grant(t.admin, role, permission);
    const auto op = access.create_operator(t.admin, {name, "Test " + name});
    access.assign_role(t.admin, op.id, role,
                       scope.is_null() ? access::Condition{} : access::Condition::from_json(scope));
    return access.operator_actor(op.id);
}

Json countries(std::initializer_list<const char*> codes) {
    Json list = Json::array();
    for (const char* code : codes) list.push_back(code);
    return Json{{"country", {{"in", list}}}};
}

}  // namespace

TEST_CASE("players: register then read back by id and external id", "[players]") {
    TestBackoffice t = fresh_backoffice();
    auto& service = t.bo.players();
    const Player created = service.register_player(t.admin, new_player("P-1"));
    CHECK(created.id.value() > 0);
    CHECK(created.external_id == "P-1");
    CHECK(created.brand == "main");
    CHECK(created.tags == std::vector<std::string>{"casino", "vip"});
    CHECK(created.status == PlayerStatus::kActive);
    CHECK(created.version == 1);
    CHECK(created.registered_at == t.clock->now());
    CHECK(created.updated_at == t.clock->now());

    const Player by_id = service.get_player(t.admin, created.id);
    CHECK(to_json(by_id) == to_json(created));
    const Player by_external = service.get_by_external_id(t.admin, "P-1");
    CHECK(by_external.id == created.id);
    CHECK(by_external.email == "player@example.com");
    CHECK(by_external.phone == "+4915112345678");
    CHECK(by_external.birth_date == year(1990) / March / 4);
    CHECK(by_external.consents == Consents{true, false, true, false});
    CHECK(by_external.traffic_source == "affiliate");
    CHECK(by_external.affiliate_id == "aff-7");
    CHECK_FALSE(service.find_by_external_id(t.admin, "P-404").has_value());
    CHECK(service.count_players(t.admin) == 1);
}

TEST_CASE("players: optional fields may be absent and registered_at may be given", "[players]") {
    TestBackoffice t = fresh_backoffice();
    NewPlayer p = new_player("P-2");
    p.email.reset();
    p.phone.reset();
    p.traffic_source.reset();
    p.affiliate_id.reset();
    p.tags.clear();
    p.registered_at = t.clock->now() - days(30);
    const Player created = t.bo.players().register_player(t.admin, p);
    const Player stored = t.bo.players().get_player(t.admin, created.id);
    CHECK_FALSE(stored.email.has_value());
    CHECK_FALSE(stored.phone.has_value());
    CHECK_FALSE(stored.traffic_source.has_value());
    CHECK(stored.tags.empty());
    CHECK(stored.registered_at == t.clock->now() - days(30));
    CHECK(stored.updated_at == t.clock->now());
}

TEST_CASE("players: registration appends one audit entry and one outbox event", "[players]") {
    TestBackoffice t = fresh_backoffice();
    const auto audit_before = audit_count(t);
    const auto outbox_before = outbox_messages(t).size();
    const Player p = t.bo.players().register_player(t.admin, new_player("P-3"));
    CHECK(audit_count(t) == audit_before + 1);
    const audit::Entry entry = last_audit_entry(t);
    CHECK(entry.action == "player.registered");
    CHECK(entry.target == "player:" + p.id.to_string());
    CHECK(entry.actor == "system:bootstrap");
    CHECK(entry.before.is_null());
    CHECK(entry.after == to_json(p));
    const auto messages = outbox_messages(t);
    REQUIRE(messages.size() == outbox_before + 1);
    CHECK(messages.back().topic == "player.registered");
    CHECK(messages.back().key == "player:" + p.id.to_string());
    CHECK(messages.back().payload["external_id"] == "P-3");
    CHECK(t.bo.audit().verify().ok);
}

TEST_CASE("players: the age limit is counted on the clock's date", "[players]") {
    TestBackoffice t = fresh_backoffice();  // clock: 2026-01-01
    NewPlayer eighteen_today = new_player("P-18");
    eighteen_today.birth_date = year(2008) / January / 1;
    CHECK_NOTHROW(t.bo.players().register_player(t.admin, eighteen_today));
    NewPlayer eighteen_tomorrow = new_player("P-17");
    eighteen_tomorrow.birth_date = year(2008) / January / 2;
    try {
        (void)t.bo.players().register_player(t.admin, eighteen_tomorrow);
        FAIL("a 17-year-old was registered");
    } catch (const ValidationError& e) {
        CHECK(e.field() == "birth_date");
    }
    t.clock->advance(days(1));
    CHECK_NOTHROW(t.bo.players().register_player(t.admin, eighteen_tomorrow));
}

TEST_CASE("players: every validation failure names the field and writes nothing", "[players]") {
    TestBackoffice t = fresh_backoffice();
    (void)t.bo.players().register_player(t.admin, new_player("P-ok"));
    const auto audit_before = audit_count(t);
    const auto outbox_before = outbox_messages(t).size();
    struct Case {
        std::string field;
        void (*spoil)(NewPlayer&);
    };
    const std::vector<Case> cases = {
        {"external_id", [](NewPlayer& p) { p.external_id = ""; }},
        {"external_id", [](NewPlayer& p) { p.external_id = std::string(129, 'x'); }},
        {"brand", [](NewPlayer& p) { p.brand = "Bad Brand"; }},
        {"email", [](NewPlayer& p) { p.email = "anna@@example.com"; }},
        {"email", [](NewPlayer& p) { p.email = "anna example.com"; }},
        {"phone", [](NewPlayer& p) { p.phone = "0049151"; }},
        {"country", [](NewPlayer& p) { p.country = "XX"; }},
        {"country", [](NewPlayer& p) { p.country = "de"; }},
        {"country", [](NewPlayer& p) { p.country = "DEU"; }},
        {"birth_date", [](NewPlayer& p) { p.birth_date = year(2026) / June / 1; }},
        {"birth_date", [](NewPlayer& p) { p.birth_date = year(2012) / June / 1; }},
        {"currency", [](NewPlayer& p) { p.currency = "XYZ"; }},
        {"language", [](NewPlayer& p) { p.language = "deu"; }},
        {"traffic_source", [](NewPlayer& p) { p.traffic_source = ""; }},
        {"affiliate_id", [](NewPlayer& p) { p.affiliate_id = "a\tb"; }},
        {"tags", [](NewPlayer& p) { p.tags = {"Not OK"}; }},
    };
    for (const auto& c : cases) {
        INFO(c.field);
        NewPlayer p = new_player("P-bad");
        c.spoil(p);
        try {
            (void)t.bo.players().register_player(t.admin, p);
            FAIL("accepted a bad " << c.field);
        } catch (const ValidationError& e) {
            CHECK(e.field() == c.field);
        }
    }
    CHECK(t.bo.players().count_players(t.admin) == 1);
    CHECK(audit_count(t) == audit_before);
    CHECK(outbox_messages(t).size() == outbox_before);
}

TEST_CASE("players: a duplicate external id is a conflict and writes nothing", "[players]") {
    TestBackoffice t = fresh_backoffice();
    (void)t.bo.players().register_player(t.admin, new_player("P-dup"));
    const auto audit_before = audit_count(t);
    const auto outbox_before = outbox_messages(t).size();
    CHECK_THROWS_AS(t.bo.players().register_player(t.admin, new_player("P-dup", "GB")),
                    ConflictError);
    CHECK(t.bo.players().count_players(t.admin) == 1);
    CHECK(audit_count(t) == audit_before);
    CHECK(outbox_messages(t).size() == outbox_before);
    CHECK(t.bo.players().get_by_external_id(t.admin, "P-dup").country == "DE");
}

TEST_CASE("players: an update changes the set fields, audits and emits", "[players]") {
    TestBackoffice t = fresh_backoffice();
    auto& service = t.bo.players();
    const Player before = service.register_player(t.admin, new_player("P-up"));
    t.clock->advance(hours(2));
    PlayerUpdate u;
    u.email = "new@example.org";
    u.phone = "";  // clears
    u.tags = std::vector<std::string>{"sports", "casino", "sports"};
    u.consents = Consents{false, true, false, false};
    const Player after = service.update_player(t.admin, before.id, u);
    CHECK(after.email == "new@example.org");
    CHECK_FALSE(after.phone.has_value());
    CHECK(after.tags == std::vector<std::string>{"casino", "sports"});
    CHECK(after.consents == Consents{false, true, false, false});
    CHECK(after.country == "DE");
    CHECK(after.version == 2);
    CHECK(after.updated_at == t.clock->now());
    CHECK(after.registered_at == before.registered_at);
    CHECK(to_json(service.get_player(t.admin, before.id)) == to_json(after));

    const audit::Entry entry = last_audit_entry(t);
    CHECK(entry.action == "player.updated");
    CHECK(entry.before == to_json(before));
    CHECK(entry.after == to_json(after));
    const auto messages = outbox_messages(t);
    CHECK(messages.back().topic == "player.updated");
    CHECK(messages.back().payload["changed"] ==
          Json::array({"email", "phone", "consents", "tags"}));
}

TEST_CASE("players: an update that changes nothing writes nothing", "[players]") {
    TestBackoffice t = fresh_backoffice();
    const Player p = t.bo.players().register_player(t.admin, new_player("P-same"));
    const auto audit_before = audit_count(t);
    PlayerUpdate u;
    u.email = p.email;
    u.tags = p.tags;
    const Player same = t.bo.players().update_player(t.admin, p.id, u);
    CHECK(same.version == 1);
    CHECK(audit_count(t) == audit_before);
}

TEST_CASE("players: a bad update names the field and writes nothing", "[players]") {
    TestBackoffice t = fresh_backoffice();
    const Player p = t.bo.players().register_player(t.admin, new_player("P-badup"));
    const auto audit_before = audit_count(t);
    PlayerUpdate u;
    u.country = "ZZ";
    try {
        (void)t.bo.players().update_player(t.admin, p.id, u);
        FAIL("accepted country ZZ");
    } catch (const ValidationError& e) {
        CHECK(e.field() == "country");
    }
    CHECK(audit_count(t) == audit_before);
    CHECK(t.bo.players().get_player(t.admin, p.id).version == 1);
}

TEST_CASE("players: a stale expected version is a conflict", "[players]") {
    TestBackoffice t = fresh_backoffice();
    auto& service = t.bo.players();
    const Player p = service.register_player(t.admin, new_player("P-ver"));
    PlayerUpdate first;
    first.language = "en";
    first.expected_version = 1;
    CHECK(service.update_player(t.admin, p.id, first).version == 2);
    const auto audit_before = audit_count(t);
    PlayerUpdate stale;
    stale.language = "fr";
    stale.expected_version = 1;
    CHECK_THROWS_AS(service.update_player(t.admin, p.id, stale), ConflictError);
    CHECK(service.get_player(t.admin, p.id).language == "en");
    CHECK(audit_count(t) == audit_before);
    stale.expected_version = 2;
    CHECK(service.update_player(t.admin, p.id, stale).language == "fr");
}

TEST_CASE("players: an absent player is NotFound", "[players]") {
    TestBackoffice t = fresh_backoffice();
    auto& service = t.bo.players();
    CHECK_THROWS_AS(service.get_player(t.admin, PlayerId(424242)), NotFoundError);
    CHECK_THROWS_AS(service.get_by_external_id(t.admin, "nobody"), NotFoundError);
    CHECK_THROWS_AS(service.update_player(t.admin, PlayerId(424242), PlayerUpdate{}),
                    NotFoundError);
    CHECK_THROWS_AS(service.set_status(t.admin, PlayerId(424242), PlayerStatus::kBlocked, "x"),
                    NotFoundError);
}

TEST_CASE("players: status transitions follow the account lifecycle", "[players]") {
    TestBackoffice t = fresh_backoffice();
    auto& service = t.bo.players();
    const PlayerId id = service.register_player(t.admin, new_player("P-st")).id;

    Player p = service.set_status(t.admin, id, PlayerStatus::kBlocked, "chargeback review");
    CHECK(p.status == PlayerStatus::kBlocked);
    CHECK(p.version == 2);
    audit::Entry entry = last_audit_entry(t);
    CHECK(entry.action == "player.status_changed");
    CHECK(entry.before["status"] == "active");
    CHECK(entry.after["status"] == "blocked");
    CHECK(entry.after["status_reason"] == "chargeback review");
    const auto messages = outbox_messages(t);
    CHECK(messages.back().topic == "player.status_changed");
    CHECK(messages.back().payload["from"] == "active");
    CHECK(messages.back().payload["to"] == "blocked");

    CHECK_THROWS_AS(service.set_status(t.admin, id, PlayerStatus::kBlocked, "again"),
                    PreconditionError);
    try {
        (void)service.set_status(t.admin, id, PlayerStatus::kActive, "");
        FAIL("accepted an empty reason");
    } catch (const ValidationError& e) {
        CHECK(e.field() == "reason");
    }
    CHECK(service.set_status(t.admin, id, PlayerStatus::kActive, "review passed").status ==
          PlayerStatus::kActive);
    CHECK(service.set_status(t.admin, id, PlayerStatus::kSelfExcluded, "player request").status ==
          PlayerStatus::kSelfExcluded);
    const auto audit_before = audit_count(t);
    CHECK_THROWS_AS(service.set_status(t.admin, id, PlayerStatus::kActive, "changed mind"),
                    PreconditionError);
    CHECK_THROWS_AS(service.set_status(t.admin, id, PlayerStatus::kBlocked, "x"),
                    PreconditionError);
    CHECK(audit_count(t) == audit_before);
    CHECK(service.set_status(t.admin, id, PlayerStatus::kClosed, "account closed").status ==
          PlayerStatus::kClosed);
    for (PlayerStatus s :
         {PlayerStatus::kActive, PlayerStatus::kBlocked, PlayerStatus::kSelfExcluded}) {
        CHECK_THROWS_AS(service.set_status(t.admin, id, s, "reopen"), PreconditionError);
    }
    CHECK(service.get_player(t.admin, id).version == 5);
}

TEST_CASE("players: list pages by id and filters", "[players]") {
    TestBackoffice t = fresh_backoffice();
    auto& service = t.bo.players();
    const std::vector<std::string> countries = {"DE", "GB", "MT", "SE", "DE"};
    std::vector<PlayerId> ids;
    for (int i = 0; i < 25; ++i) {
        NewPlayer p = new_player("P-" + std::to_string(100 + i),
                                 countries[static_cast<std::size_t>(i) % countries.size()]);
        p.brand = i % 3 == 0 ? "luckyfox" : "main";
        p.tags = i % 4 == 0 ? std::vector<std::string>{"vip"} : std::vector<std::string>{"casino"};
        ids.push_back(service.register_player(t.admin, p).id);
    }
    (void)service.set_status(t.admin, ids[3], PlayerStatus::kBlocked, "test");

    SECTION("keyset paging visits every player once, in id order") {
        PlayerFilter filter;
        filter.limit = 10;
        std::vector<PlayerId> seen;
        for (;;) {
            const auto page = service.list_players(t.admin, filter);
            for (const auto& p : page) seen.push_back(p.id);
            if (page.size() < filter.limit) break;
            filter.after = page.back().id;
        }
        CHECK(seen == ids);
    }
    SECTION("filters") {
        PlayerFilter by_country;
        by_country.country = "DE";
        const auto de = service.list_players(t.admin, by_country);
        CHECK(de.size() == 10);
        CHECK(std::all_of(de.begin(), de.end(), [](const Player& p) { return p.country == "DE"; }));

        PlayerFilter by_brand;
        by_brand.brand = "luckyfox";
        CHECK(service.list_players(t.admin, by_brand).size() == 9);

        PlayerFilter by_status;
        by_status.status = PlayerStatus::kBlocked;
        const auto blocked = service.list_players(t.admin, by_status);
        REQUIRE(blocked.size() == 1);
        CHECK(blocked[0].id == ids[3]);

        PlayerFilter by_tag;
        by_tag.tag = "vip";
        const auto vips = service.list_players(t.admin, by_tag);
        CHECK(vips.size() == 7);
        CHECK(std::all_of(vips.begin(), vips.end(), [](const Player& p) {
            return p.tags == std::vector<std::string>{"vip"};
        }));

        PlayerFilter combined;
        combined.country = "DE";
        combined.tag = "vip";
        combined.brand = "luckyfox";
        for (const auto& p : service.list_players(t.admin, combined)) {
            CHECK(p.country == "DE");
            CHECK(p.brand == "luckyfox");
        }
    }
    SECTION("the page size is bounded") {
        PlayerFilter filter;
        filter.limit = 0;
        CHECK_THROWS_AS(service.list_players(t.admin, filter), ValidationError);
        filter.limit = 10'001;
        CHECK_THROWS_AS(service.list_players(t.admin, filter), ValidationError);
    }
}

TEST_CASE("players: tags are stored one row each in player_tags", "[players]") {
    TestBackoffice t = fresh_backoffice();
    const Player p = t.bo.players().register_player(t.admin, new_player("P-tags"));
    auto tx = t.bo.database().begin(storage::TxMode::kRead);
    const auto rows = tx.query("SELECT tag FROM player_tags WHERE player_id = ? ORDER BY tag",
                               storage::Params(p.id.value()));
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].text(0) == "casino");
    CHECK(rows[1].text(0) == "vip");
    const auto versions = storage::schema_versions(t.bo.database());
    CHECK(std::find(versions.begin(), versions.end(), std::pair<std::string, int>{"players", 1}) !=
          versions.end());
}

TEST_CASE("players: an agent scoped to DE sees only DE players", "[players]") {
    TestBackoffice t = fresh_backoffice();
    auto& service = t.bo.players();
    const Player de = service.register_player(t.admin, new_player("P-de", "DE"));
    const Player fr = service.register_player(t.admin, new_player("P-fr", "FR"));
    (void)service.register_player(t.admin, new_player("P-de2", "DE"));
    const Actor agent = operator_with(
        t, "dora", {access::permission::kPlayersRead, access::permission::kPlayersWrite},
        countries({"DE"}));

    CHECK(service.get_player(agent, de.id).external_id == "P-de");
    CHECK(service.get_by_external_id(agent, "P-de").id == de.id);
    const auto audit_before = audit_count(t);
    CHECK_THROWS_AS(service.get_player(agent, fr.id), AccessDenied);
    CHECK(audit_count(t) == audit_before + 1);
    const audit::Entry denial = last_audit_entry(t);
    CHECK(denial.action == "access.denied");
    CHECK(denial.actor == "operator:dora");
    CHECK_THROWS_AS(service.get_by_external_id(agent, "P-fr"), AccessDenied);
    // An unknown id is indistinguishable from one outside the scope.
    CHECK_THROWS_AS(service.find_by_external_id(agent, "P-none"), AccessDenied);
    CHECK_THROWS_AS(service.get_player(agent, PlayerId(987654)), AccessDenied);

    const auto listed = service.list_players(agent, PlayerFilter{});
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].country == "DE");
    CHECK(listed[1].country == "DE");
    PlayerFilter small;
    small.limit = 1;
    small.after = de.id;  // the next DE player lies past the FR one
    const auto next = service.list_players(agent, small);
    REQUIRE(next.size() == 1);
    CHECK(next[0].external_id == "P-de2");

    SECTION("writes are scoped the same way") {
        PlayerUpdate u;
        u.language = "en";
        CHECK(service.update_player(agent, de.id, u).language == "en");
        CHECK_THROWS_AS(service.update_player(agent, fr.id, u), AccessDenied);
        CHECK(service.get_player(t.admin, fr.id).language == "de");
        PlayerUpdate move;
        move.country = "FR";  // would move the player out of the agent's scope
        CHECK_THROWS_AS(service.update_player(agent, de.id, move), AccessDenied);
        CHECK(service.get_player(t.admin, de.id).country == "DE");
        CHECK(service.register_player(agent, new_player("P-de3", "DE")).country == "DE");
        CHECK_THROWS_AS(service.register_player(agent, new_player("P-fr2", "FR")), AccessDenied);
        CHECK_FALSE(service.find_by_external_id(t.admin, "P-fr2").has_value());
    }
}

TEST_CASE("players: a denied write is audited and stores nothing", "[players]") {
    TestBackoffice t = fresh_backoffice();
    const Actor reader = operator_with(t, "rita", {access::permission::kPlayersRead});
    const auto audit_before = audit_count(t);
    const auto outbox_before = outbox_messages(t).size();
    CHECK_THROWS_AS(t.bo.players().register_player(reader, new_player("P-denied")), AccessDenied);
    CHECK(t.bo.players().count_players(t.admin) == 0);
    CHECK(audit_count(t) == audit_before + 1);
    const audit::Entry denial = last_audit_entry(t);
    CHECK(denial.action == "access.denied");
    CHECK(denial.actor == "operator:rita");
    CHECK(outbox_messages(t).size() == outbox_before);
    CHECK(t.bo.audit().verify().ok);

    const Player p = t.bo.players().register_player(t.admin, new_player("P-ok"));
    CHECK_THROWS_AS(t.bo.players().set_status(reader, p.id, PlayerStatus::kBlocked, "no"),
                    AccessDenied);
    CHECK(t.bo.players().get_player(reader, p.id).status == PlayerStatus::kActive);
}
