#pragma once
// A Backoffice on a fresh database of the backend under test, with a manual clock.

#include <memory>

#include "pitboss/pitboss.hpp"

namespace pitboss::testing {

/// 2026-01-01T00:00:00Z, where every fixture clock starts.
[[nodiscard]] Timestamp fixture_start();

struct TestBackoffice {
    std::shared_ptr<ManualClock> clock;
    Backoffice bo;
    Actor admin;  ///< the seeded "bootstrap" system actor (role admin)
};

/// Opens a fresh database (migrated) on the backend under test.
[[nodiscard]] TestBackoffice fresh_backoffice();

}  // namespace pitboss::testing
