// storage: behaviour of Database, Transaction and Row that needs no server (in-memory SQLite).

#include "pitboss/storage/database.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

using pitboss::StorageError;
using pitboss::ValidationError;
using pitboss::storage::Backend;
using pitboss::storage::Database;
using pitboss::storage::DatabaseOptions;
using pitboss::storage::Null;
using pitboss::storage::Params;
using pitboss::storage::Row;
using pitboss::storage::Transaction;
using pitboss::storage::TxMode;
using pitboss::storage::Value;

namespace {

Row make_row(std::vector<Value> values) {
    auto names = std::make_shared<const std::vector<std::string>>(
        std::vector<std::string>{"amount", "label", "ratio", "gone"});
    return Row(names, std::move(values));
}

}  // namespace

TEST_CASE("storage: an in-memory database is one shared database", "[storage]") {
    DatabaseOptions options;
    options.max_connections = 4;
    auto db = Database::open("sqlite::memory:", options);
    CHECK(db->backend() == Backend::kSqlite);
    CHECK(db->redacted_url() == "sqlite::memory:");
    db->run(TxMode::kWrite, [](Transaction& tx) {
        tx.execute_script("CREATE TABLE t (x INTEGER)");
        tx.execute("INSERT INTO t (x) VALUES (?)", Params(42));
    });
    auto tx = db->begin(TxMode::kRead);
    CHECK(tx.query_single("SELECT x FROM t").int64(0) == 42);
}

TEST_CASE("storage: max_connections must be positive", "[storage]") {
    DatabaseOptions options;
    options.max_connections = 0;
    CHECK_THROWS_AS(Database::open("sqlite::memory:", options), ValidationError);
}

TEST_CASE("storage: a SQLite file in a missing directory is a StorageError", "[storage]") {
    const auto missing = std::filesystem::temp_directory_path() / "pitboss-no-such-dir" / "x.db";
    CHECK_THROWS_AS(Database::open("sqlite://" + missing.string()), StorageError);
}

TEST_CASE("storage: a read transaction refuses writes on SQLite too", "[storage]") {
    auto db = Database::open("sqlite::memory:");
    db->run(TxMode::kWrite,
            [](Transaction& tx) { tx.execute_script("CREATE TABLE t (x INTEGER)"); });
    {
        auto tx = db->begin(TxMode::kRead);
        CHECK_THROWS_AS(tx.execute("INSERT INTO t (x) VALUES (1)"), StorageError);
    }
    // The connection is writable again afterwards.
    db->run(TxMode::kWrite, [](Transaction& tx) { tx.execute("INSERT INTO t (x) VALUES (2)"); });
    auto tx = db->begin(TxMode::kRead);
    CHECK(tx.query_single("SELECT count(*) FROM t").int64(0) == 1);
}

TEST_CASE("storage: translate_ddl on SQLite", "[storage]") {
    auto db = Database::open("sqlite::memory:");
    CHECK(db->translate_ddl("CREATE TABLE t (id {{id}}, n {{bigint}}, b {{blob}})") ==
          "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER, b BLOB)");
    CHECK(db->translate_ddl("no tokens {here}") == "no tokens {here}");
    CHECK(db->translate_ddl("{{unterminated") == "{{unterminated");
    CHECK_THROWS_AS(db->translate_ddl("{{uuid}}"), ValidationError);
}

TEST_CASE("storage: Row reads integers, also from integer text", "[storage]") {
    const Row row = make_row({std::int64_t{-7}, std::string("123"), 0.5, Null{}});
    CHECK(row.int64(0) == -7);
    CHECK(row.int64(1) == 123);
    CHECK(row.real(0) == -7.0);
    CHECK(row.real(1) == 123.0);
    CHECK(row.real(2) == 0.5);
    CHECK(row.boolean(0));
    CHECK(row.timestamp(0) == pitboss::from_unix_millis(-7));
    CHECK_FALSE(row.opt_timestamp(3).has_value());
    CHECK(row.opt_int64(0) == -7);
    CHECK(row.at("LABEL") == Value(std::string("123")));
}

TEST_CASE("storage: Row type mismatches name the column", "[storage]") {
    const Row row = make_row({std::int64_t{1}, std::string("12abc"), 0.5, Null{}});
    CHECK_THROWS_WITH(row.int64(1), Catch::Contains("'label'") && Catch::Contains("text"));
    CHECK_THROWS_WITH(row.int64(2), Catch::Contains("'ratio'") && Catch::Contains("real"));
    CHECK_THROWS_WITH(row.int64(3), Catch::Contains("'gone'") && Catch::Contains("NULL"));
    CHECK_THROWS_WITH(row.text(0), Catch::Contains("'amount'"));
    CHECK_THROWS_AS(row.real(3), StorageError);
    CHECK_THROWS_AS(row.at(4), StorageError);
    CHECK_THROWS_AS(row.at("missing"), StorageError);
    const Row unnamed(nullptr, {std::string("x")});
    CHECK_THROWS_WITH(unnamed.int64(0), Catch::Contains("#0"));
}
