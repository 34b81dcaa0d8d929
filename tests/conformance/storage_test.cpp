// storage: the Database contract, run on the backend named by PITBOSS_TEST_BACKEND.

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "pitboss/storage/database.hpp"
#include "pitboss/storage/migration.hpp"
#include "support/test_database.hpp"

using pitboss::ConflictError;
using pitboss::IntegrityError;
using pitboss::StorageError;
using pitboss::ValidationError;
using pitboss::storage::Backend;
using pitboss::storage::Cursor;
using pitboss::storage::Database;
using pitboss::storage::DatabaseOptions;
using pitboss::storage::Migration;
using pitboss::storage::Null;
using pitboss::storage::Params;
using pitboss::storage::Row;
using pitboss::storage::Transaction;
using pitboss::storage::TxMode;

namespace {

std::unique_ptr<Database> fresh_database(const DatabaseOptions& options = {}) {
    return Database::open(pitboss::testing::fresh_database_url(), options);
}

void create(Database& db, const std::string& ddl) {
    db.run(TxMode::kWrite, [&](Transaction& tx) { tx.execute_script(db.translate_ddl(ddl)); });
}

std::int64_t count_rows(Database& db, const std::string& table) {
    auto tx = db.begin(TxMode::kRead);
    return tx.query_single("SELECT count(*) FROM " + table).int64(0);
}

const std::string kItems = "CREATE TABLE items (id {{id}}, name {{text}} NOT NULL UNIQUE)";

}  // namespace

TEST_CASE("storage: after-commit actions run only after a commit, in order", "[storage]") {
    auto db = fresh_database();
    create(*db, kItems);
    std::vector<std::string> ran;
    {
        auto tx = db->begin(TxMode::kWrite);
        tx.execute("INSERT INTO items (name) VALUES ('a')");
        tx.after_commit([&] { ran.push_back("rolled back"); });
        tx.rollback();
    }
    {
        auto tx = db->begin(TxMode::kWrite);
        tx.after_commit([&] { ran.push_back("dropped"); });
    }  // destroyed uncommitted
    CHECK(ran.empty());

    auto tx = db->begin(TxMode::kWrite);
    tx.execute("INSERT INTO items (name) VALUES ('b')");
    tx.after_commit([&] { ran.push_back("first:" + std::to_string(count_rows(*db, "items"))); });
    tx.after_commit([&] { ran.push_back("second"); });
    CHECK(ran.empty());
    tx.commit();
    CHECK(ran == std::vector<std::string>{"first:1", "second"});  // sees the committed row

    // A failing action: the commit stands, the error is not retryable, later actions are skipped.
    int attempts = 0;
    CHECK_THROWS_MATCHES(
        db->run(TxMode::kWrite,
                [&](Transaction& t) {
                    ++attempts;
                    t.execute("INSERT INTO items (name) VALUES ('c')");
                    t.after_commit([] { throw pitboss::UnavailableError("side effect failed"); });
                    t.after_commit([&] { ran.push_back("skipped"); });
                }),
        pitboss::Error, Catch::Matchers::Predicate<pitboss::Error>([](const pitboss::Error& e) {
            return !e.retryable();
        }));
    CHECK(attempts == 1);
    CHECK(count_rows(*db, "items") == 2);
    CHECK(ran.size() == 2);
}

TEST_CASE("storage: typed values round-trip", "[storage]") {
    auto db = fresh_database();
    create(*db, "CREATE TABLE vals (id {{id}}, i {{bigint}}, r {{real}}, s {{text}})");
    const std::int64_t min = std::numeric_limits<std::int64_t>::min();
    const std::int64_t max = std::numeric_limits<std::int64_t>::max();
    const std::string utf8 = "Zo\xC3\xAB \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x8E\xB0";
    db->run(TxMode::kWrite, [&](Transaction& tx) {
        const char* insert = "INSERT INTO vals (id, i, r, s) VALUES (?, ?, ?, ?)";
        tx.execute(insert, Params(1, min, 0.1, utf8));
        tx.execute(insert, Params(2, max, -2.5e300, ""));
        tx.execute(insert, Params(3, -1, Null{}, std::optional<std::string>{}));
        tx.execute(insert, Params(4, Null{}, 3.0, "plain"));
    });
    auto tx = db->begin(TxMode::kRead);
    const auto rows = tx.query("SELECT i, r, s FROM vals ORDER BY id");
    REQUIRE(rows.size() == 4);
    CHECK(rows[0].int64(0) == min);
    CHECK(rows[0].real(1) == 0.1);
    CHECK(rows[0].text(2) == utf8);
    CHECK(rows[1].int64(0) == max);
    CHECK(rows[1].real(1) == -2.5e300);
    CHECK(rows[1].text(2).empty());
    CHECK_FALSE(rows[1].is_null(2));
    CHECK(rows[2].int64(0) == -1);
    CHECK(rows[2].is_null(1));
    CHECK(rows[2].is_null(2));
    CHECK_FALSE(rows[2].opt_text(2).has_value());
    CHECK(rows[3].is_null(0));
    CHECK_FALSE(rows[3].opt_int64(0).has_value());
    CHECK(rows[3].real(1) == 3.0);
    CHECK(rows[3].at("s") == pitboss::storage::Value(std::string("plain")));
    CHECK(rows[3].index_of("r") == 1);

    auto cursor = tx.cursor("SELECT i, r, s FROM vals WHERE id = ?", Params(1));
    REQUIRE(cursor->next());
    CHECK(cursor->column_count() == 3);
    CHECK(cursor->int64(0) == min);
    CHECK(cursor->real(1) == 0.1);
    CHECK(cursor->text(2) == utf8);
    CHECK_FALSE(cursor->next());
}

TEST_CASE("storage: blob columns keep ASCII payloads", "[storage]") {
    auto db = fresh_database();
    create(*db, "CREATE TABLE blobs (id {{id}}, data {{blob}})");
    const std::string payload = "3q2+7w==";
    auto tx = db->begin();
    const auto id =
        tx.query_single("INSERT INTO blobs (data) VALUES (?) RETURNING id", Params(payload))
            .int64(0);
    CHECK(tx.query_single("SELECT data FROM blobs WHERE id = ?", Params(id)).text(0) == payload);
    auto cursor = tx.cursor("SELECT data FROM blobs");
    REQUIRE(cursor->next());
    CHECK(cursor->text(0) == payload);
}

TEST_CASE("storage: a lost PostgreSQL connection is replaced", "[storage]") {
    auto db = fresh_database();
    if (db->backend() != Backend::kPostgres) return;  // SQLite has no connection to lose
    {
        auto tx = db->begin();
        CHECK_THROWS_AS(tx.query("SELECT pg_terminate_backend(pg_backend_pid())"),
                        pitboss::UnavailableError);
    }
    // The dead connection was discarded, not pooled: the next unit gets a fresh one.
    auto tx = db->begin(TxMode::kRead);
    CHECK(tx.query_single("SELECT 1").int64(0) == 1);
}

TEST_CASE("storage: type mismatches name the column", "[storage]") {
    auto db = fresh_database();
    auto tx = db->begin(TxMode::kRead);
    const Row row = tx.query_single("SELECT 'abc' AS word, NULL AS empty_value, 7 AS seven");
    CHECK_THROWS_WITH(row.int64(0), Catch::Contains("'word'") && Catch::Contains("integer"));
    CHECK_THROWS_WITH(row.text(1), Catch::Contains("'empty_value'") && Catch::Contains("NULL"));
    CHECK_THROWS_AS(row.text(2), StorageError);
    CHECK_THROWS_AS(row.at(3), StorageError);
    CHECK_THROWS_WITH(row.index_of("missing"), Catch::Contains("missing"));
    CHECK(row.real(2) == 7.0);
}

TEST_CASE("storage: RETURNING yields the generated id", "[storage]") {
    auto db = fresh_database();
    create(*db, kItems);
    auto tx = db->begin();
    const char* insert = "INSERT INTO items (name) VALUES (?) RETURNING id";
    const std::int64_t first = tx.query_single(insert, Params("a")).int64(0);
    const std::int64_t second = tx.query_single(insert, Params("b")).int64(0);
    CHECK(first >= 1);
    CHECK(second > first);
    CHECK(tx.query_single("SELECT name FROM items WHERE id = ?", Params(second)).text(0) == "b");
    tx.commit();
}

TEST_CASE("storage: commit persists, rollback and destruction discard", "[storage]") {
    auto db = fresh_database();
    create(*db, kItems);
    {
        auto tx = db->begin();
        tx.execute("INSERT INTO items (name) VALUES (?)", Params("kept"));
        tx.commit();
        CHECK_THROWS_AS(tx.execute("INSERT INTO items (name) VALUES ('late')"), StorageError);
        CHECK_THROWS_AS(tx.commit(), StorageError);
    }
    {
        auto tx = db->begin();
        tx.execute("INSERT INTO items (name) VALUES (?)", Params("dropped by destructor"));
    }
    {
        auto tx = db->begin();
        tx.execute("INSERT INTO items (name) VALUES (?)", Params("dropped by rollback"));
        tx.rollback();
        CHECK_THROWS_AS(tx.query("SELECT 1"), StorageError);
    }
    auto tx = db->begin(TxMode::kRead);
    const auto rows = tx.query("SELECT name FROM items");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].text(0) == "kept");
}

TEST_CASE("storage: a moved transaction keeps its work", "[storage]") {
    auto db = fresh_database();
    create(*db, kItems);
    auto start = [&] {
        auto tx = db->begin();
        tx.execute("INSERT INTO items (name) VALUES ('moved')");
        return tx;
    };
    Transaction tx = start();
    tx.commit();
    CHECK(count_rows(*db, "items") == 1);
}

TEST_CASE("storage: a duplicate key is a ConflictError", "[storage]") {
    auto db = fresh_database();
    create(*db, kItems);
    db->run(TxMode::kWrite,
            [](Transaction& tx) { tx.execute("INSERT INTO items (name) VALUES ('one')"); });
    auto insert_again = [&] {
        db->run(TxMode::kWrite,
                [](Transaction& tx) { tx.execute("INSERT INTO items (name) VALUES ('one')"); });
    };
    CHECK_THROWS_AS(insert_again(), ConflictError);
    // The failed unit left nothing behind and the pool still works.
    CHECK(count_rows(*db, "items") == 1);
}

TEST_CASE("storage: a failed statement leaves the transaction only a rollback", "[storage]") {
    auto db = fresh_database();
    create(*db, kItems);
    db->run(TxMode::kWrite,
            [](Transaction& tx) { tx.execute("INSERT INTO items (name) VALUES ('one')"); });
    auto tx = db->begin();
    tx.execute("INSERT INTO items (name) VALUES ('two')");
    CHECK_THROWS_AS(tx.execute("INSERT INTO items (name) VALUES ('one')"), ConflictError);
    CHECK_THROWS_WITH(tx.query("SELECT 1"), Catch::Contains("only roll back"));
    CHECK_THROWS_AS(tx.commit(), StorageError);
    CHECK(count_rows(*db, "items") == 1);
}

TEST_CASE("storage: a read transaction refuses writes", "[storage]") {
    auto db = fresh_database();
    create(*db, kItems);
    {
        auto tx = db->begin(TxMode::kRead);
        CHECK(tx.mode() == TxMode::kRead);
        CHECK_THROWS_AS(tx.execute("INSERT INTO items (name) VALUES ('x')"), StorageError);
    }
    db->run(TxMode::kWrite,
            [](Transaction& tx) { tx.execute("INSERT INTO items (name) VALUES ('y')"); });
    CHECK(count_rows(*db, "items") == 1);
}

TEST_CASE("storage: run repeats a unit that failed retryably", "[storage]") {
    DatabaseOptions options;
    options.max_retries = 2;
    auto db = fresh_database(options);
    create(*db, kItems);

    int attempts = 0;
    const std::int64_t id = db->run(TxMode::kWrite, [&](Transaction& tx) {
        ++attempts;
        const auto row = tx.query_single("INSERT INTO items (name) VALUES (?) RETURNING id",
                                         Params(std::to_string(attempts)));
        if (attempts == 1) throw StorageError("simulated serialization failure", true);
        return row.int64(0);
    });
    CHECK(attempts == 2);
    CHECK(id >= 1);
    auto tx = db->begin(TxMode::kRead);
    const auto rows = tx.query("SELECT name FROM items");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].text(0) == "2");  // the first attempt was rolled back

    int hopeless = 0;
    CHECK_THROWS_AS(db->run(TxMode::kWrite,
                            [&](Transaction&) {
                                ++hopeless;
                                throw StorageError("always busy", true);
                            }),
                    StorageError);
    CHECK(hopeless == 3);  // the first try and max_retries repeats

    int fatal = 0;
    CHECK_THROWS_AS(db->run(TxMode::kWrite,
                            [&](Transaction&) {
                                ++fatal;
                                throw StorageError("broken", false);
                            }),
                    StorageError);
    CHECK(fatal == 1);
}

TEST_CASE("storage: query_optional and query_single", "[storage]") {
    auto db = fresh_database();
    create(*db, kItems);
    db->run(TxMode::kWrite, [](Transaction& tx) {
        tx.execute("INSERT INTO items (name) VALUES ('a')");
        tx.execute("INSERT INTO items (name) VALUES ('b')");
    });
    auto tx = db->begin(TxMode::kRead);
    const char* by_name = "SELECT id FROM items WHERE name = ?";
    CHECK_FALSE(tx.query_optional(by_name, Params("zzz")).has_value());
    CHECK(tx.query_optional(by_name, Params("a")).has_value());
    CHECK_THROWS_AS(tx.query_optional("SELECT id FROM items"), StorageError);
    CHECK_THROWS_AS(tx.query_single(by_name, Params("zzz")), StorageError);
    CHECK_THROWS_AS(tx.query_single("SELECT id FROM items"), StorageError);
    CHECK(tx.query_single(by_name, Params("b")).int64(0) >= 1);
}

TEST_CASE("storage: a cursor streams many rows", "[storage]") {
    constexpr std::int64_t kRows = 10'000;
    auto db = fresh_database();
    create(*db, "CREATE TABLE numbers (n {{bigint}} PRIMARY KEY, label {{text}} NOT NULL)");
    db->run(TxMode::kWrite, [&](Transaction& tx) {
        for (std::int64_t n = 1; n <= kRows; ++n) {
            tx.execute("INSERT INTO numbers (n, label) VALUES (?, ?)",
                       Params(n, "n" + std::to_string(n)));
        }
    });
    auto tx = db->begin(TxMode::kRead);
    auto cursor = tx.cursor("SELECT n, label FROM numbers WHERE n > ? ORDER BY n", Params(0));
    std::int64_t expected = 0;
    bool labels_match = true;
    while (cursor->next()) {
        ++expected;
        if (cursor->int64(0) != expected) break;
        labels_match = labels_match && cursor->text(1) == "n" + std::to_string(expected);
    }
    CHECK(expected == kRows);
    CHECK(labels_match);
    CHECK_FALSE(cursor->next());

    std::int64_t sum = 0;
    tx.for_each("SELECT n FROM numbers", {}, [&](const Cursor& row) { sum += row.int64(0); });
    CHECK(sum == kRows * (kRows + 1) / 2);
}

TEST_CASE("storage: a cursor and a statement of the same text can interleave", "[storage]") {
    auto db = fresh_database();
    create(*db, kItems);
    auto tx = db->begin();
    tx.execute("INSERT INTO items (name) VALUES ('a')");
    tx.execute("INSERT INTO items (name) VALUES ('b')");
    const char* sql = "SELECT name FROM items ORDER BY name";
    auto outer = tx.cursor(sql);
    std::vector<std::string> seen;
    while (outer->next()) {
        seen.emplace_back(outer->text(0));
        CHECK(tx.query(sql).size() == 2);
    }
    CHECK(seen == std::vector<std::string>{"a", "b"});
}

TEST_CASE("storage: cursors stop early, find nothing, and end with their transaction",
          "[storage]") {
    auto db = fresh_database();
    create(*db, "CREATE TABLE numbers (n {{bigint}} PRIMARY KEY)");
    db->run(TxMode::kWrite, [](Transaction& tx) {
        for (int n = 1; n <= 100; ++n) tx.execute("INSERT INTO numbers (n) VALUES (?)", Params(n));
    });
    auto tx = db->begin();
    {
        auto early = tx.cursor("SELECT n FROM numbers ORDER BY n");
        REQUIRE(early->next());
        CHECK(early->int64(0) == 1);
    }  // abandoned after one row: the session is usable again
    CHECK(tx.execute("DELETE FROM numbers WHERE n > ?", Params(50)) == 50);

    auto empty = tx.cursor("SELECT n FROM numbers WHERE n < 0");
    CHECK_FALSE(empty->next());
    CHECK_FALSE(empty->next());
    CHECK_THROWS_AS(empty->int64(0), StorageError);

    CHECK_THROWS_AS(tx.cursor("SELECT no_such_column FROM numbers"), StorageError);
    tx.rollback();

    auto reader = db->begin(TxMode::kRead);
    auto late = reader.cursor("SELECT n FROM numbers ORDER BY n");
    REQUIRE(late->next());
    reader.commit();
    CHECK_THROWS_AS(late->next(), StorageError);
    CHECK(count_rows(*db, "numbers") == 100);
}

TEST_CASE("storage: ON CONFLICT upserts behave alike", "[storage]") {
    auto db = fresh_database();
    create(*db, "CREATE TABLE kv (k {{text}} PRIMARY KEY, v {{bigint}} NOT NULL)");
    auto tx = db->begin();
    const char* upsert =
        "INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = kv.v + excluded.v";
    CHECK(tx.execute(upsert, Params("x", 1)) == 1);
    CHECK(tx.execute(upsert, Params("x", 5)) == 1);
    CHECK(tx.execute("INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO NOTHING",
                     Params("x", 100)) == 0);
    CHECK(tx.query_single("SELECT v FROM kv WHERE k = ?", Params("x")).int64(0) == 6);
    CHECK(tx.execute("UPDATE kv SET v = v + 1") == 1);
    CHECK(tx.execute("DELETE FROM kv WHERE k = ?", Params("nothing")) == 0);
}

TEST_CASE("storage: question marks in literals are not placeholders", "[storage]") {
    auto db = fresh_database();
    auto tx = db->begin(TxMode::kRead);
    const Row row = tx.query_single(
        "SELECT '?' AS q, 'it''s ?' AS quoted, ? AS p -- trailing ? comment\n", Params(5));
    CHECK(row.text(0) == "?");
    CHECK(row.text(1) == "it's ?");
    CHECK(row.int64(2) == 5);
    CHECK(row.text(row.index_of("q")) == "?");
}

TEST_CASE("storage: a wrong parameter count is a StorageError", "[storage]") {
    auto db = fresh_database();
    create(*db, kItems);
    auto tx = db->begin();
    CHECK_THROWS_AS(tx.execute("INSERT INTO items (name) VALUES (?)", Params("a", "b")),
                    StorageError);
}

TEST_CASE("storage: an SQL error names the statement, not its parameters", "[storage]") {
    auto db = fresh_database();
    auto tx = db->begin();
    CHECK_THROWS_WITH(tx.query("SELECT * FROM no_such_table WHERE secret = ?", Params("hunter2")),
                      Catch::Contains("no_such_table") && !Catch::Contains("hunter2"));
}

namespace {

std::vector<Migration> schema_v1() {
    return {
        {"alpha", 1, "alpha table", "CREATE TABLE alpha (id {{id}}, name {{text}})"},
        {"beta", 1, "beta table", "CREATE TABLE beta (id {{id}}, score {{real}})"},
        {"alpha", 2, "alpha column", "ALTER TABLE alpha ADD COLUMN note {{text}}"},
    };
}

}  // namespace

TEST_CASE("storage: migrations apply once and are idempotent on reopen", "[storage]") {
    const std::string url = pitboss::testing::fresh_database_url();
    {
        auto db = Database::open(url);
        CHECK(apply_migrations(*db, schema_v1()) == 3);
        CHECK(apply_migrations(*db, schema_v1()) == 0);
    }
    auto db = Database::open(url);
    CHECK(apply_migrations(*db, schema_v1()) == 0);
    using Versions = std::vector<std::pair<std::string, int>>;
    CHECK(schema_versions(*db) == Versions{{"alpha", 2}, {"beta", 1}});

    auto next = schema_v1();
    next.push_back({"beta", 2, "beta index", "CREATE INDEX beta_score ON beta (score)"});
    CHECK(apply_migrations(*db, next) == 1);
    CHECK(schema_versions(*db) == Versions{{"alpha", 2}, {"beta", 2}});
    db->run(TxMode::kWrite, [](Transaction& tx) {
        tx.execute("INSERT INTO alpha (name, note) VALUES ('a', 'b')");
    });
    auto tx = db->begin(TxMode::kRead);
    CHECK(tx.query_single("SELECT count(*) FROM schema_migrations").int64(0) == 4);
}

TEST_CASE("storage: schema_versions of an empty database is empty", "[storage]") {
    auto db = fresh_database();
    CHECK(schema_versions(*db).empty());
}

TEST_CASE("storage: a failing migration leaves no trace", "[storage]") {
    auto db = fresh_database();
    std::vector<Migration> broken = {
        {"gamma", 1, "fine", "CREATE TABLE gamma (id {{id}})"},
        {"gamma", 2, "broken",
         "CREATE TABLE gamma_two (id {{id}}); CREATE TABLE gamma (x {{text}})"},
    };
    CHECK_THROWS_AS(apply_migrations(*db, broken), StorageError);
    using Versions = std::vector<std::pair<std::string, int>>;
    CHECK(schema_versions(*db) == Versions{{"gamma", 1}});
    auto tx = db->begin();
    CHECK_THROWS_AS(tx.query("SELECT * FROM gamma_two"), StorageError);
}

TEST_CASE("storage: a database newer than the build is refused", "[storage]") {
    auto db = fresh_database();
    const std::vector<Migration> newest = schema_v1();
    apply_migrations(*db, newest);
    const std::vector<Migration> older(newest.begin(), newest.begin() + 2);
    CHECK_THROWS_WITH(apply_migrations(*db, older), Catch::Contains("alpha") &&
                                                        Catch::Contains("version 2") &&
                                                        Catch::Contains("version 1"));
    CHECK_THROWS_AS(apply_migrations(*db, older), IntegrityError);
}

TEST_CASE("storage: migration versions must be consecutive", "[storage]") {
    auto db = fresh_database();
    const std::vector<Migration> gap = {
        {"alpha", 1, "one", "CREATE TABLE a1 (id {{id}})"},
        {"alpha", 3, "three", "CREATE TABLE a3 (id {{id}})"},
    };
    CHECK_THROWS_AS(apply_migrations(*db, gap), ValidationError);
    CHECK(schema_versions(*db).empty());
}

TEST_CASE("storage: two migrators racing apply each step once", "[storage]") {
    const std::string url = pitboss::testing::fresh_database_url();
    auto first = Database::open(url);
    auto second = Database::open(url);
    std::atomic<int> applied{0};
    auto migrate = [&](Database& db) { applied += apply_migrations(db, schema_v1()); };
    std::thread a(migrate, std::ref(*first));
    std::thread b(migrate, std::ref(*second));
    a.join();
    b.join();
    CHECK(applied == 3);
    CHECK(count_rows(*first, "schema_migrations") == 3);
}

TEST_CASE("storage: concurrent writers through the pool lose no update", "[storage]") {
    constexpr int kThreads = 4;
    constexpr int kIncrements = 50;
    DatabaseOptions options;
    options.max_connections = 3;
    options.max_retries = 50;
    auto db = fresh_database(options);
    create(*db, "CREATE TABLE counter (id {{bigint}} PRIMARY KEY, n {{bigint}} NOT NULL)");
    db->run(TxMode::kWrite,
            [](Transaction& tx) { tx.execute("INSERT INTO counter (id, n) VALUES (1, 0)"); });
    auto work = [&] {
        for (int i = 0; i < kIncrements; ++i) {
            db->run(TxMode::kWrite, [](Transaction& tx) {
                const auto n = tx.query_single("SELECT n FROM counter WHERE id = 1").int64(0);
                tx.execute("UPDATE counter SET n = ? WHERE id = 1", Params(n + 1));
            });
        }
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) threads.emplace_back(work);
    for (auto& thread : threads) thread.join();
    auto tx = db->begin(TxMode::kRead);
    CHECK(tx.query_single("SELECT n FROM counter WHERE id = 1").int64(0) == kThreads * kIncrements);
}

TEST_CASE("storage: the pool waits for a free connection", "[storage]") {
    DatabaseOptions options;
    options.max_connections = 1;
    auto db = fresh_database(options);
    create(*db, kItems);
    auto held = db->begin();
    held.execute("INSERT INTO items (name) VALUES ('first')");
    std::atomic<bool> got_connection{false};
    std::thread waiter([&] {
        auto tx = db->begin();
        got_connection = true;
        tx.execute("INSERT INTO items (name) VALUES ('second')");
        tx.commit();
    });
    // The waiter cannot proceed until `held` gives its only connection back.
    CHECK_FALSE(got_connection.load());
    held.commit();
    waiter.join();
    CHECK(got_connection.load());
    CHECK(count_rows(*db, "items") == 2);
}

TEST_CASE("storage: translate_ddl rewrites every token", "[storage]") {
    auto db = fresh_database();
    const std::string ddl = db->translate_ddl("{{id}} {{bigint}} {{text}} {{real}} {{blob}}");
    if (db->backend() == Backend::kSqlite) {
        CHECK(ddl == "INTEGER PRIMARY KEY AUTOINCREMENT INTEGER TEXT REAL BLOB");
    } else {
        CHECK(ddl ==
              "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY BIGINT TEXT "
              "DOUBLE PRECISION BYTEA");
    }
    CHECK_THROWS_AS(db->translate_ddl("{{money}}"), ValidationError);
    CHECK(db->backend() == pitboss::testing::backend_under_test());
}
