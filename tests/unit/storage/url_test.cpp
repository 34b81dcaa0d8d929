// storage: URL parsing, dispatch and redaction.

#include "storage/url.hpp"

#include <catch2/catch.hpp>

#include "pitboss/storage/database.hpp"
#include "storage/backend_registry.hpp"
#include "storage/sqlite/sqlite_backend.hpp"

using pitboss::ValidationError;
using pitboss::storage::Database;
using pitboss::storage::detail::redact_url;
using pitboss::storage::detail::url_scheme;
namespace sqlite = pitboss::storage::sqlite;

TEST_CASE("storage: the scheme selects the backend", "[storage]") {
    CHECK(url_scheme("sqlite:///tmp/x.db") == "sqlite");
    CHECK(url_scheme("sqlite::memory:") == "sqlite");
    CHECK(url_scheme("postgresql://u@h/db") == "postgresql");
    CHECK_THROWS_AS(url_scheme("/var/lib/casino.db"), ValidationError);
    CHECK_THROWS_AS(url_scheme(":memory:"), ValidationError);
    CHECK_THROWS_AS(url_scheme(""), ValidationError);
}

TEST_CASE("storage: an unknown scheme is a ValidationError naming it", "[storage]") {
    try {
        (void)Database::open("mysql://root@localhost/casino");
        FAIL("expected a ValidationError");
    } catch (const ValidationError& e) {
        CHECK(e.field() == "url");
        CHECK_THAT(e.what(), Catch::Contains("'mysql'") && Catch::Contains("sqlite"));
    }
    CHECK_THROWS_AS(Database::open("casino.db"), ValidationError);
}

TEST_CASE("storage: sqlite URLs", "[storage]") {
    CHECK(sqlite::parse_url("sqlite::memory:").in_memory);
    CHECK(sqlite::parse_url("sqlite:///var/lib/casino.db").path == "/var/lib/casino.db");
    CHECK(sqlite::parse_url("sqlite://data/casino.db").path == "data/casino.db");
    CHECK_FALSE(sqlite::parse_url("sqlite://casino.db").in_memory);
    CHECK_THROWS_AS(sqlite::parse_url("sqlite://"), ValidationError);
    CHECK_THROWS_AS(sqlite::parse_url("sqlite:///"), ValidationError);
    CHECK_THROWS_AS(sqlite::parse_url("sqlite:casino.db"), ValidationError);
    CHECK_THROWS_AS(sqlite::parse_url("sqlite:///x.db?mode=ro"), ValidationError);
    CHECK_THROWS_AS(Database::open("sqlite:memory"), ValidationError);
}

TEST_CASE("storage: a malformed postgresql URL is a ValidationError", "[storage]") {
    // Whether or not this build has the PostgreSQL backend, the URL is refused before any
    // connection attempt, as input.
    CHECK_THROWS_AS(Database::open("postgresql://u@host:notaport/db"), ValidationError);
    CHECK_THROWS_AS(Database::open("postgresql://u@host/db?no_such_option=1"), ValidationError);
    try {
        (void)Database::open("postgresql://u:s3cret@host/db?no_such_option=%zz");
        FAIL("expected a ValidationError");
    } catch (const ValidationError& e) {
        CHECK_THAT(e.what(), !Catch::Contains("s3cret"));
    }
}

TEST_CASE("storage: redacted URLs carry no password", "[storage]") {
    CHECK(redact_url("postgresql://bob:s3cret@db.example:5432/casino") ==
          "postgresql://bob@db.example:5432/casino");
    CHECK(redact_url("postgresql://bob@db/casino?sslmode=require&password=s3cret") ==
          "postgresql://bob@db/casino?sslmode=require");
    CHECK(redact_url("postgresql://db/casino?password=s3cret") == "postgresql://db/casino");
    CHECK(redact_url("postgres://bob:p@ss@db/x") == "postgres://bob@db/x");
    CHECK(redact_url("sqlite:///var/lib/casino.db") == "sqlite:///var/lib/casino.db");
    CHECK(redact_url("sqlite::memory:") == "sqlite::memory:");
}
