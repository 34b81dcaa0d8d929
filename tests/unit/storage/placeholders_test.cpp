// storage: rewriting `?` placeholders into PostgreSQL's `$n`.

#include "storage/placeholders.hpp"

#include <catch2/catch.hpp>

using pitboss::storage::detail::rewrite_placeholders;

TEST_CASE("storage: placeholders are numbered in order", "[storage]") {
    CHECK(rewrite_placeholders("SELECT a FROM t WHERE b = ? AND c = ?") ==
          "SELECT a FROM t WHERE b = $1 AND c = $2");
    CHECK(rewrite_placeholders("INSERT INTO t VALUES (?,?,?)") ==
          "INSERT INTO t VALUES ($1,$2,$3)");
    CHECK(rewrite_placeholders("SELECT 1") == "SELECT 1");
    CHECK(rewrite_placeholders("") == "");
    CHECK(rewrite_placeholders("?") == "$1");
}

TEST_CASE("storage: placeholders skip string literals", "[storage]") {
    CHECK(rewrite_placeholders("SELECT '?' , ?") == "SELECT '?' , $1");
    CHECK(rewrite_placeholders("SELECT 'it''s ?', ?") == "SELECT 'it''s ?', $1");
    CHECK(rewrite_placeholders("SELECT E'a\\'?', ?") == "SELECT E'a\\'?', $1");
    CHECK(rewrite_placeholders("SELECT 'a\\', ?") == "SELECT 'a\\', $1");
    CHECK(rewrite_placeholders("SELECT '?") == "SELECT '?");  // unterminated: copied as is
}

TEST_CASE("storage: placeholders skip quoted identifiers and comments", "[storage]") {
    CHECK(rewrite_placeholders("SELECT \"a?b\" FROM t WHERE x = ?") ==
          "SELECT \"a?b\" FROM t WHERE x = $1");
    CHECK(rewrite_placeholders("SELECT ? -- why?\n, ?") == "SELECT $1 -- why?\n, $2");
    CHECK(rewrite_placeholders("SELECT ? -- trailing?") == "SELECT $1 -- trailing?");
    CHECK(rewrite_placeholders("SELECT /* ? */ ?") == "SELECT /* ? */ $1");
}

TEST_CASE("storage: placeholders skip dollar-quoted bodies", "[storage]") {
    CHECK(rewrite_placeholders("SELECT $$?$$, ?") == "SELECT $$?$$, $1");
    CHECK(rewrite_placeholders("DO $body$ SELECT '?' $body$; SELECT ?") ==
          "DO $body$ SELECT '?' $body$; SELECT $1");
    // `$1` is a parameter, not a dollar quote; a `$` inside an identifier is not either.
    CHECK(rewrite_placeholders("SELECT $1, ?") == "SELECT $1, $1");
    CHECK(rewrite_placeholders("SELECT a$b$, ?") == "SELECT a$b$, $1");
}
