#include "pitboss/core/actor.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

using pitboss::ActorFactory;
using pitboss::ActorKind;
using pitboss::Attributes;
using pitboss::OperatorId;

TEST_CASE("core: an actor's label says whether it is a person or a process", "[core]") {
    const auto alice = ActorFactory::make(OperatorId(3), ActorKind::kOperator, "alice");
    const auto bootstrap = ActorFactory::make(OperatorId(1), ActorKind::kSystem, "bootstrap");
    CHECK(alice.label() == "operator:alice");
    CHECK(bootstrap.label() == "system:bootstrap");
    CHECK(alice.id() == OperatorId(3));
    CHECK(bootstrap.kind() == ActorKind::kSystem);
}

TEST_CASE("core: attributes set, replace and find values by key", "[core]") {
    Attributes attrs{{"country", std::string("DE")}};
    attrs.set("amount_minor", std::int64_t{5000}).set("country", std::string("MT"));
    REQUIRE(attrs.items().size() == 2);
    const auto* country = attrs.find("country");
    REQUIRE(country != nullptr);
    CHECK(std::get<std::string>(*country) == "MT");
    CHECK(std::get<std::int64_t>(*attrs.find("amount_minor")) == 5000);
    CHECK(attrs.find("brand") == nullptr);
}

TEST_CASE("core: strong ids of different kinds are distinct types", "[core]") {
    STATIC_REQUIRE_FALSE(std::is_convertible_v<pitboss::PlayerId, OperatorId>);
    STATIC_REQUIRE_FALSE(std::is_convertible_v<std::int64_t, pitboss::PlayerId>);
    CHECK(pitboss::PlayerId(7).to_string() == "7");
    CHECK(pitboss::PlayerId(7) < pitboss::PlayerId(8));
    CHECK(std::hash<pitboss::PlayerId>{}(pitboss::PlayerId(7)) == std::hash<std::int64_t>{}(7));
}
