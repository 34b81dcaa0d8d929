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

Actor operator_in_role(TestBackoffice& t, const std::string& name, const std::string& role) {
    auto& access = t.bo.access();
    const auto op = access.create_operator(t.admin, {name, "Test " + name});
    access.assign_role(t.admin, op.id, role, access::Condition{});
    return access.operator_actor(op.id);
}

std::vector<transport::OutboxMessage> events_of(TestBackoffice& t, const std::string& topic) {
    auto tx = t.bo.database().begin(storage::TxMode::kRead);
    std::vector<transport::OutboxMessage> out;
    for (auto& m : t.bo.outbox().pending(tx, 10'000)) {
        if (m.topic == topic) out.push_back(std::move(m));
    }
    return out;
}

std::vector<std::string> audit_actions(TestBackoffice& t) {
    std::vector<std::string> out;
    for (const auto& e : t.bo.audit().list(t.admin, {}, 10'000)) out.push_back(e.action);
    return out;
}

}  // namespace pitboss::testing
