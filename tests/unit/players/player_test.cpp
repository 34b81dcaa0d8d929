#include "pitboss/players/player.hpp"

#include <catch2/catch.hpp>

#include "pitboss/core/error.hpp"

using namespace pitboss;
using namespace pitboss::players;
using namespace std::chrono;

TEST_CASE("players: status names round-trip", "[players]") {
    for (PlayerStatus s : {PlayerStatus::kActive, PlayerStatus::kBlocked,
                           PlayerStatus::kSelfExcluded, PlayerStatus::kClosed}) {
        CHECK(parse_player_status(to_string(s)) == s);
    }
    CHECK(to_string(PlayerStatus::kSelfExcluded) == "self_excluded");
    for (const char* bad : {"", "Active", "selfexcluded", "deleted"}) {
        try {
            (void)parse_player_status(bad);
            FAIL("accepted " << bad);
        } catch (const ValidationError& e) {
            CHECK(e.field() == "status");
        }
    }
}

TEST_CASE("players: to_json renders every field", "[players]") {
    Player p;
    p.id = PlayerId(42);
    p.external_id = "P-42";
    p.brand = "main";
    p.email = "a@example.com";
    p.country = "GB";
    p.birth_date = year(1990) / March / 4;
    p.currency = "GBP";
    p.language = "en";
    p.registered_at = sys_days(year(2026) / January / 1) + hours(12);
    p.updated_at = p.registered_at;
    p.consents.sms = true;
    p.status = PlayerStatus::kBlocked;
    p.tags = {"a", "b"};
    p.version = 2;
    const Json j = to_json(p);
    CHECK(j["id"] == 42);
    CHECK(j["external_id"] == "P-42");
    CHECK(j["email"] == "a@example.com");
    CHECK(j["phone"].is_null());
    CHECK(j["traffic_source"].is_null());
    CHECK(j["birth_date"] == "1990-03-04");
    CHECK(j["registered_at"] == "2026-01-01T12:00:00.000Z");
    CHECK(j["consents"] ==
          Json{{"email", false}, {"sms", true}, {"push", false}, {"messenger", false}});
    CHECK(j["status"] == "blocked");
    CHECK(j["tags"] == Json::array({"a", "b"}));
    CHECK(j["version"] == 2);
    CHECK(j.size() == 17);
}
