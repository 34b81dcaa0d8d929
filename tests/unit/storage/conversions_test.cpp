// storage: the strict number parsing and message helpers behind Row and the cursors.

#include "storage/conversions.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "pitboss/core/error.hpp"

namespace detail = pitboss::storage::detail;

TEST_CASE("storage: integer text parses only when it is all digits", "[storage]") {
    CHECK(detail::parse_int64("42") == 42);
    CHECK(detail::parse_int64("-9223372036854775808") == std::numeric_limits<std::int64_t>::min());
    CHECK_FALSE(detail::parse_int64("9223372036854775808").has_value());
    CHECK_FALSE(detail::parse_int64("").has_value());
    CHECK_FALSE(detail::parse_int64("12.0").has_value());
    CHECK_FALSE(detail::parse_int64("12abc").has_value());
    CHECK_FALSE(detail::parse_int64(" 1").has_value());
}

TEST_CASE("storage: real text parses PostgreSQL's spellings", "[storage]") {
    CHECK(detail::parse_real("1.5") == 1.5);
    CHECK(detail::parse_real("-3") == -3.0);
    CHECK(detail::parse_real("1e300") == 1e300);
    CHECK(std::isnan(*detail::parse_real("NaN")));
    CHECK(detail::parse_real("-Infinity") == -std::numeric_limits<double>::infinity());
    CHECK_FALSE(detail::parse_real("1.5x").has_value());
    CHECK_FALSE(detail::parse_real("").has_value());
}

TEST_CASE("storage: statement excerpts keep the first words only", "[storage]") {
    CHECK(detail::sql_head("SELECT a FROM t WHERE secret = ?") == "SELECT a FROM t");
    CHECK(detail::sql_head("  INSERT\n  INTO   players (id)") == "INSERT INTO players (id)");
    CHECK(detail::sql_head("VACUUM") == "VACUUM");
    CHECK(detail::sql_head(std::string(200, 'x')).size() <= 64);
    CHECK_THROWS_AS(detail::throw_bad_column(3, 2), pitboss::StorageError);
}
