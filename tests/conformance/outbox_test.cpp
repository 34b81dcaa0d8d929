// transport: the transactional outbox on the backend named by PITBOSS_TEST_BACKEND.

#include "pitboss/transport/outbox.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "pitboss/core/error.hpp"
#include "pitboss/storage/migration.hpp"
#include "support/test_backoffice.hpp"
#include "support/test_database.hpp"

namespace pitboss::transport {
namespace {

using storage::Database;
using storage::Transaction;
using storage::TxMode;

struct Fixture {
    Fixture() {
        const auto migrations = Outbox::migrations();
        storage::apply_migrations(*db, migrations);
    }

    std::int64_t add(std::string_view topic, std::string_view key, const Json& payload) {
        return db->run(TxMode::kWrite,
                       [&](Transaction& tx) { return outbox.add(tx, topic, key, payload); });
    }
    std::vector<OutboxMessage> pending(std::size_t limit = 1000) {
        return db->run(TxMode::kRead, [&](Transaction& tx) { return outbox.pending(tx, limit); });
    }
    void mark_published(std::int64_t id) {
        db->run(TxMode::kWrite, [&](Transaction& tx) { outbox.mark_published(tx, id); });
    }
    std::optional<Timestamp> published_at(std::int64_t id) {
        auto tx = db->begin(TxMode::kRead);
        return tx.query_single("SELECT published_at FROM outbox WHERE id = ?", storage::Params(id))
            .opt_timestamp(0);
    }

    std::unique_ptr<Database> db = Database::open(testing::fresh_database_url());
    ManualClock clock{testing::fixture_start()};
    Outbox outbox{clock};
};

}  // namespace

TEST_CASE("outbox: added events wait in order with their payload", "[outbox]") {
    Fixture f;
    const std::int64_t first = f.add("player.registered", "player:1", Json{{"country", "DE"}});
    f.clock.advance(Duration(5'000));
    const std::int64_t second = f.add("player.updated", "player:1", Json{{"country", "AT"}});
    CHECK(second > first);

    const auto pending = f.pending();
    REQUIRE(pending.size() == 2);
    CHECK(pending[0].id == first);
    CHECK(pending[0].topic == "player.registered");
    CHECK(pending[0].key == "player:1");
    CHECK(pending[0].payload == Json{{"country", "DE"}});
    CHECK(pending[0].created_at == testing::fixture_start());
    CHECK_FALSE(pending[0].published_at);
    CHECK(pending[1].id == second);
    CHECK(pending[1].created_at == testing::fixture_start() + Duration(5'000));
}

TEST_CASE("outbox: published events leave the pending list", "[outbox]") {
    Fixture f;
    const std::int64_t a = f.add("t", "k:1", 1);
    const std::int64_t b = f.add("t", "k:2", 2);
    const std::int64_t c = f.add("t", "k:3", 3);
    f.clock.advance(Duration(1'000));
    f.mark_published(b);
    const auto pending = f.pending();
    REQUIRE(pending.size() == 2);
    CHECK(pending[0].id == a);
    CHECK(pending[1].id == c);
    CHECK(f.published_at(b) == testing::fixture_start() + Duration(1'000));
    CHECK_FALSE(f.published_at(a));
}

TEST_CASE("outbox: marking twice keeps the first publication time", "[outbox]") {
    Fixture f;
    const std::int64_t id = f.add("t", "k", nullptr);
    f.mark_published(id);
    f.clock.advance(Duration(60'000));
    f.mark_published(id);
    CHECK(f.published_at(id) == testing::fixture_start());
}

TEST_CASE("outbox: marking an unknown event is NotFound", "[outbox]") {
    Fixture f;
    CHECK_THROWS_AS(f.mark_published(12345), NotFoundError);
}

TEST_CASE("outbox: pending honours its limit", "[outbox]") {
    Fixture f;
    for (int i = 0; i < 7; ++i) (void)f.add("t", "k", i);
    const auto three = f.pending(3);
    REQUIRE(three.size() == 3);
    CHECK(three[2].payload == 2);
    CHECK_THROWS_AS(f.pending(0), ValidationError);
}

TEST_CASE("outbox: an event added in a rolled-back transaction never appears", "[outbox]") {
    Fixture f;
    {
        Transaction tx = f.db->begin(TxMode::kWrite);
        (void)f.outbox.add(tx, "player.registered", "player:9", Json::object());
    }
    CHECK(f.pending().empty());
}

TEST_CASE("outbox: invalid events are refused naming the field", "[outbox]") {
    Fixture f;
    auto field_of = [&](std::string_view topic, const Json& payload) {
        try {
            (void)f.add(topic, "k", payload);
        } catch (const ValidationError& e) {
            return e.field();
        }
        return std::string("none");
    };
    CHECK(field_of("", nullptr) == "topic");
    CHECK(field_of(std::string(201, 't'), nullptr) == "topic");
    CHECK(field_of("t", Json("\xff")) == "payload");
    CHECK(f.pending().empty());
}

}  // namespace pitboss::transport
