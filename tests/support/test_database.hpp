#pragma once
// Fixtures shared by the conformance suites: a fresh database on the backend under test.

#include <string>

#include "pitboss/storage/database.hpp"

namespace pitboss::testing {

/// The backend under test: PITBOSS_TEST_BACKEND = "sqlite" (default) or "postgres".
[[nodiscard]] storage::Backend backend_under_test();

/// URL of a fresh, empty database on the backend under test: a new SQLite file in a temporary
/// directory, or a new schema inside PITBOSS_TEST_POSTGRES_URL's database. When PostgreSQL is
/// under test but no URL is set, exits the process with 77 (ctest: skipped), unless
/// PITBOSS_REQUIRE_POSTGRES=1, where it fails instead.
[[nodiscard]] std::string fresh_database_url();

}  // namespace pitboss::testing
