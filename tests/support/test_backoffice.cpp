#include "support/test_backoffice.hpp"

#include <chrono>

#include "support/test_database.hpp"

namespace pitboss::testing {

Timestamp fixture_start() {
    using namespace std::chrono;
    return Timestamp(sys_days(year(2026) / January / 1));
}

TestBackoffice fresh_backoffice() {
    auto clock = std::make_shared<ManualClock>(fixture_start());
    Options options;
    options.clock = clock;
    Backoffice bo = open(fresh_database_url(), options);
    Actor admin = bo.access().system_actor("bootstrap");
    return TestBackoffice{std::move(clock), std::move(bo), std::move(admin)};
}

}  // namespace pitboss::testing
