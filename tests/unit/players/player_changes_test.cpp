#include "players/player_changes.hpp"

#include <catch2/catch.hpp>

#include "pitboss/core/error.hpp"

using namespace pitboss;
using namespace pitboss::players;
using namespace std::chrono;

namespace {

Player stored_player() {
    Player p;
    p.id = PlayerId(7);
    p.external_id = "P-7";
    p.brand = "main";
    p.email = "old@example.com";
    p.phone = "+35699123456";
    p.country = "MT";
    p.birth_date = year(1985) / July / 1;
    p.currency = "EUR";
    p.language = "en";
    p.traffic_source = "organic";
    p.affiliate_id = "aff-1";
    p.tags = {"casino"};
    p.version = 3;
    return p;
}

}  // namespace

TEST_CASE("players: an empty update changes nothing", "[players]") {
    const Player before = stored_player();
    const Player after = apply_update(before, PlayerUpdate{});
    CHECK(changed_fields(before, after).empty());
    CHECK(after.version == 3);
}

TEST_CASE("players: an update sets, keeps and clears fields", "[players]") {
    const Player before = stored_player();
    PlayerUpdate u;
    u.email = "new@example.com";
    u.phone = "";         // clears
    u.affiliate_id = "";  // clears
    u.country = "SE";
    u.language = "sv";
    u.consents = Consents{true, false, true, false};
    u.tags = std::vector<std::string>{"casino", "vip"};
    const Player after = apply_update(before, u);
    CHECK(after.email == "new@example.com");
    CHECK_FALSE(after.phone.has_value());
    CHECK_FALSE(after.affiliate_id.has_value());
    CHECK(after.traffic_source == "organic");  // kept
    CHECK(after.birth_date == before.birth_date);
    CHECK(after.external_id == "P-7");
    CHECK(changed_fields(before, after) == std::vector<std::string>{"email", "phone", "country",
                                                                    "language", "affiliate_id",
                                                                    "consents", "tags"});
}

TEST_CASE("players: setting a field to its current value is not a change", "[players]") {
    const Player before = stored_player();
    PlayerUpdate u;
    u.email = "old@example.com";
    u.tags = std::vector<std::string>{"casino"};
    u.consents = Consents{};
    CHECK(changed_fields(before, apply_update(before, u)).empty());
}

TEST_CASE("players: status transitions", "[players]") {
    using S = PlayerStatus;
    const PlayerId id(9);
    CHECK_NOTHROW(check_status_transition(id, S::kActive, S::kBlocked));
    CHECK_NOTHROW(check_status_transition(id, S::kActive, S::kSelfExcluded));
    CHECK_NOTHROW(check_status_transition(id, S::kActive, S::kClosed));
    CHECK_NOTHROW(check_status_transition(id, S::kBlocked, S::kActive));
    CHECK_NOTHROW(check_status_transition(id, S::kBlocked, S::kSelfExcluded));
    CHECK_NOTHROW(check_status_transition(id, S::kBlocked, S::kClosed));
    CHECK_NOTHROW(check_status_transition(id, S::kSelfExcluded, S::kClosed));
    for (S to : {S::kActive, S::kBlocked, S::kSelfExcluded}) {
        CHECK_THROWS_AS(check_status_transition(id, S::kClosed, to), PreconditionError);
    }
    CHECK_THROWS_AS(check_status_transition(id, S::kSelfExcluded, S::kActive), PreconditionError);
    CHECK_THROWS_AS(check_status_transition(id, S::kSelfExcluded, S::kBlocked), PreconditionError);
    for (S s : {S::kActive, S::kBlocked, S::kSelfExcluded, S::kClosed}) {
        CHECK_THROWS_AS(check_status_transition(id, s, s), PreconditionError);
    }
    CHECK_THROWS_WITH(check_status_transition(id, S::kBlocked, S::kBlocked),
                      Catch::Contains("player:9") && Catch::Contains("already blocked"));
}
