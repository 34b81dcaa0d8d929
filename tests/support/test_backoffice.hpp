#pragma once
// A Backoffice on a fresh database of the backend under test, with a manual clock.

#include <memory>
#include <string>
#include <vector>

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

/// A new operator holding `role` without conditions, as an actor.
[[nodiscard]] Actor operator_in_role(TestBackoffice& t, const std::string& name,
                                     const std::string& role);
/// The pending outbox messages of one topic, oldest first.
[[nodiscard]] std::vector<transport::OutboxMessage> events_of(TestBackoffice& t,
                                                              const std::string& topic);
/// The action of every audit entry, oldest first.
[[nodiscard]] std::vector<std::string> audit_actions(TestBackoffice& t);

}  // namespace pitboss::testing
