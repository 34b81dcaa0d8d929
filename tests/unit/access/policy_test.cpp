#include "access/policy.hpp"

#include <catch2/catch.hpp>
#include <string>

using pitboss::Attributes;
using pitboss::OperatorId;
using pitboss::access::Condition;
using pitboss::access::OperatorStatus;
using pitboss::access::Policy;
using pitboss::access::PolicyBuilder;
namespace permission = pitboss::access::permission;

namespace {

const OperatorId kAdmin{1};
const OperatorId kAgent{2};
const OperatorId kCashier{3};
const OperatorId kScoped{4};
const OperatorId kDisabled{5};
const OperatorId kNobody{6};

// A small policy shaped like the seeded one.
std::shared_ptr<const Policy> sample_policy() {
    PolicyBuilder b;
    for (const char* role : {"admin", "support_agent", "operator"}) b.add_role(role);
    for (auto p : permission::kAll) b.add_grant("admin", p);
    b.add_grant("support_agent", permission::kPlayersRead);
    b.add_grant("operator", permission::kPlayersRead);
    b.add_grant("operator", permission::kPaymentsAdjust,
                Condition::parse(R"({"amount_minor": {"le": 100000}})"));
    for (OperatorId id : {kAdmin, kAgent, kCashier, kScoped, kNobody}) {
        b.add_operator(id, OperatorStatus::kActive);
    }
    b.add_operator(kDisabled, OperatorStatus::kDisabled);
    b.add_assignment(kAdmin, "admin");
    b.add_assignment(kAgent, "support_agent");
    b.add_assignment(kCashier, "operator");
    b.add_assignment(kScoped, "support_agent",
                     Condition::parse(R"({"country": {"in": ["DE", "AT"]}})"));
    b.add_assignment(kDisabled, "admin");
    return b.build();
}

Attributes amount(std::int64_t minor) { return {{"amount_minor", minor}}; }

}  // namespace

TEST_CASE("access: policy grants what a role holds and nothing else", "[access]") {
    const auto policy = sample_policy();
    for (auto p : permission::kAll) CHECK(policy->allows(kAdmin, p, {}));
    CHECK(policy->allows(kAgent, permission::kPlayersRead, {}));
    CHECK_FALSE(policy->allows(kAgent, permission::kPlayersWrite, {}));
    CHECK_FALSE(policy->allows(kAgent, permission::kAuditRead, {}));
    const auto d = policy->decide(kAgent, permission::kPlayersWrite, {});
    CHECK_FALSE(d.allowed);
    CHECK(d.reason == "no role grants players.write");
    CHECK(policy->decide(kAgent, permission::kPlayersRead, {}).allowed);
    CHECK(policy->decide(kAgent, permission::kPlayersRead, {}).reason.empty());
}

TEST_CASE("access: policy denies unknown operators, permissions and the unassigned", "[access]") {
    const auto policy = sample_policy();
    CHECK_FALSE(policy->allows(OperatorId{99}, permission::kPlayersRead, {}));
    CHECK(policy->decide(OperatorId{99}, permission::kPlayersRead, {}).reason ==
          "unknown operator 99");
    CHECK_FALSE(policy->allows(OperatorId{-1}, permission::kPlayersRead, {}));
    CHECK_FALSE(policy->allows(OperatorId{0}, permission::kPlayersRead, {}));
    CHECK_FALSE(policy->allows(kAdmin, "players.fly", {}));
    CHECK(policy->decide(kAdmin, "players.fly", {}).reason == "unknown permission");
    CHECK_FALSE(policy->allows(kNobody, permission::kPlayersRead, {}));
    CHECK(policy->decide(kNobody, permission::kPlayersRead, {}).reason ==
          "no role grants players.read");
}

TEST_CASE("access: policy denies a disabled operator whatever its roles", "[access]") {
    const auto policy = sample_policy();
    CHECK_FALSE(policy->allows(kDisabled, permission::kPlayersRead, {}));
    CHECK(policy->decide(kDisabled, permission::kPlayersRead, {}).reason ==
          "operator 5 is disabled");
}

TEST_CASE("access: policy applies a grant's condition", "[access]") {
    const auto policy = sample_policy();
    CHECK(policy->allows(kCashier, permission::kPaymentsAdjust, amount(100000)));
    CHECK_FALSE(policy->allows(kCashier, permission::kPaymentsAdjust, amount(100001)));
    CHECK_FALSE(policy->allows(kCashier, permission::kPaymentsAdjust, {}));
    const auto d = policy->decide(kCashier, permission::kPaymentsAdjust, amount(100001));
    CHECK(d.reason == "condition amount_minor failed");
    CHECK(d.reason.find("100001") == std::string::npos);
    // The condition belongs to payments.adjust only.
    CHECK(policy->allows(kCashier, permission::kPlayersRead, amount(100001)));
}

TEST_CASE("access: policy applies an assignment's scope", "[access]") {
    const auto policy = sample_policy();
    CHECK(policy->allows(kScoped, permission::kPlayersRead, {{"country", "DE"}}));
    CHECK(policy->allows(kScoped, permission::kPlayersRead, {{"country", "AT"}}));
    CHECK_FALSE(policy->allows(kScoped, permission::kPlayersRead, {{"country", "FR"}}));
    CHECK_FALSE(policy->allows(kScoped, permission::kPlayersRead, {}));
    CHECK(policy->decide(kScoped, permission::kPlayersRead, {{"country", "FR"}}).reason ==
          "scope condition country failed");
    // The unscoped agent reads any country.
    CHECK(policy->allows(kAgent, permission::kPlayersRead, {{"country", "FR"}}));
}

TEST_CASE("access: policy allows when any one of several roles allows", "[access]") {
    PolicyBuilder b;
    b.add_role("de_reader");
    b.add_role("fr_reader");
    b.add_role("adjuster");
    b.add_grant("de_reader", permission::kPlayersRead);
    b.add_grant("fr_reader", permission::kPlayersRead);
    b.add_grant("adjuster", permission::kPaymentsAdjust,
                Condition::parse(R"({"amount_minor": {"le": 500}})"));
    b.add_operator(OperatorId{10}, OperatorStatus::kActive);
    b.add_assignment(OperatorId{10}, "de_reader", Condition::parse(R"({"country": {"eq": "DE"}})"));
    b.add_assignment(OperatorId{10}, "fr_reader", Condition::parse(R"({"country": {"eq": "FR"}})"));
    b.add_assignment(OperatorId{10}, "adjuster");
    const auto policy = b.build();
    CHECK(policy->assignment_count() == 3);
    CHECK(policy->allows(OperatorId{10}, permission::kPlayersRead, {{"country", "DE"}}));
    CHECK(policy->allows(OperatorId{10}, permission::kPlayersRead, {{"country", "FR"}}));
    CHECK_FALSE(policy->allows(OperatorId{10}, permission::kPlayersRead, {{"country", "IT"}}));
    CHECK(policy->allows(OperatorId{10}, permission::kPaymentsAdjust, amount(500)));
    CHECK_FALSE(policy->allows(OperatorId{10}, permission::kPaymentsAdjust, amount(501)));
    CHECK_FALSE(policy->allows(OperatorId{10}, permission::kPlayersWrite, {{"country", "DE"}}));
}

TEST_CASE("access: policy needs both the grant's condition and the scope", "[access]") {
    PolicyBuilder b;
    b.add_role("operator");
    b.add_grant("operator", permission::kPaymentsAdjust,
                Condition::parse(R"({"amount_minor": {"le": 100000}})"));
    b.add_operator(OperatorId{1}, OperatorStatus::kActive);
    b.add_assignment(OperatorId{1}, "operator", Condition::parse(R"({"country": {"eq": "DE"}})"));
    const auto policy = b.build();
    const auto adjust = [&](const char* country, std::int64_t minor) {
        return policy->allows(OperatorId{1}, permission::kPaymentsAdjust,
                              {{"country", country}, {"amount_minor", minor}});
    };
    CHECK(adjust("DE", 100000));
    CHECK_FALSE(adjust("DE", 100001));
    CHECK_FALSE(adjust("FR", 1));
}

TEST_CASE("access: policy ignores rows naming unknown roles, operators or permissions",
          "[access]") {
    PolicyBuilder b;
    b.add_role("reader");
    b.add_grant("reader", permission::kPlayersRead);
    b.add_grant("reader", "players.fly");
    b.add_grant("ghost", permission::kPlayersWrite);
    b.add_operator(OperatorId{1}, OperatorStatus::kActive);
    b.add_assignment(OperatorId{1}, "reader");
    b.add_assignment(OperatorId{1}, "ghost");
    b.add_assignment(OperatorId{2}, "reader");
    const auto policy = b.build();
    CHECK(policy->grant_count() == 1);
    CHECK(policy->assignment_count() == 1);
    CHECK(policy->allows(OperatorId{1}, permission::kPlayersRead, {}));
    CHECK_FALSE(policy->allows(OperatorId{1}, permission::kPlayersWrite, {}));
    CHECK_FALSE(policy->allows(OperatorId{2}, permission::kPlayersRead, {}));
}

TEST_CASE("access: policy finds operators by sparse ids too", "[access]") {
    PolicyBuilder b;
    b.add_role("reader");
    b.add_grant("reader", permission::kPlayersRead);
    const std::int64_t ids[] = {-5000000000LL, 3, 77, 1LL << 40, 9000000000000000000LL};
    for (std::int64_t id : ids) {
        b.add_operator(OperatorId{id}, OperatorStatus::kActive);
        if (id != 77) b.add_assignment(OperatorId{id}, "reader");
    }
    const auto policy = b.build();
    CHECK(policy->operator_count() == 5);
    for (std::int64_t id : ids) {
        INFO(id);
        CHECK(policy->allows(OperatorId{id}, permission::kPlayersRead, {}) == (id != 77));
    }
    CHECK_FALSE(policy->allows(OperatorId{4}, permission::kPlayersRead, {}));
    CHECK_FALSE(policy->allows(OperatorId{-1}, permission::kPlayersRead, {}));
}

TEST_CASE("access: policy over many dense operators finds each one's roles", "[access]") {
    PolicyBuilder b;
    b.add_role("reader");
    b.add_role("writer");
    b.add_grant("reader", permission::kPlayersRead);
    b.add_grant("writer", permission::kPlayersWrite);
    const auto scope = b.add_condition(Condition::parse(R"({"brand": {"eq": "main"}})"));
    for (std::int64_t id = 1000; id < 3000; ++id) {
        b.add_operator(OperatorId{id}, OperatorStatus::kActive);
    }
    // Assignments out of order, some operators with two roles.
    for (std::int64_t id = 2999; id >= 1000; --id) {
        b.add_assignment(OperatorId{id}, "reader", scope);
        if (id % 3 == 0) b.add_assignment(OperatorId{id}, "writer");
    }
    const auto policy = b.build();
    CHECK(policy->condition_count() == 1);
    const Attributes main_brand{{"brand", "main"}};
    for (std::int64_t id = 1000; id < 3000; ++id) {
        CHECK(policy->allows(OperatorId{id}, permission::kPlayersRead, main_brand));
        CHECK_FALSE(policy->allows(OperatorId{id}, permission::kPlayersRead, {{"brand", "b2"}}));
        CHECK(policy->allows(OperatorId{id}, permission::kPlayersWrite, {}) == (id % 3 == 0));
    }
    CHECK_FALSE(policy->allows(OperatorId{999}, permission::kPlayersRead, main_brand));
    CHECK_FALSE(policy->allows(OperatorId{3000}, permission::kPlayersRead, main_brand));
}

TEST_CASE("access: an empty policy denies everything", "[access]") {
    const auto policy = PolicyBuilder().build();
    CHECK_FALSE(policy->allows(OperatorId{1}, permission::kPlayersRead, {}));
    CHECK(policy->decide(OperatorId{1}, permission::kPlayersRead, {}).reason ==
          "unknown operator 1");
}

TEST_CASE("access: policy finds roles beyond the ones held inline", "[access]") {
    PolicyBuilder b;
    const char* roles[] = {"r0", "r1", "r2", "r3", "r4", "r5"};
    for (const char* role : roles) b.add_role(role);
    b.add_grant("r3", permission::kAuditRead);
    b.add_grant("r4", permission::kAuditExport);
    b.add_grant("r5", permission::kAccessRead);
    for (std::int64_t id = 1; id <= 3; ++id)
        b.add_operator(OperatorId{id}, OperatorStatus::kActive);
    // Operator 1 holds r0..r4, operator 2 holds r0..r2 and r5, operator 3 holds r0..r3;
    // added interleaved so each operator's overflow must still end up in one run.
    for (int r = 0; r < 6; ++r) {
        if (r != 5) b.add_assignment(OperatorId{1}, roles[r]);
        if (r < 3 || r == 5) b.add_assignment(OperatorId{2}, roles[r]);
        if (r < 4) b.add_assignment(OperatorId{3}, roles[r]);
    }
    const auto policy = b.build();
    CHECK(policy->assignment_count() == 13);
    CHECK(policy->allows(OperatorId{1}, permission::kAuditRead, {}));
    CHECK(policy->allows(OperatorId{1}, permission::kAuditExport, {}));
    CHECK_FALSE(policy->allows(OperatorId{1}, permission::kAccessRead, {}));
    CHECK_FALSE(policy->allows(OperatorId{2}, permission::kAuditRead, {}));
    CHECK_FALSE(policy->allows(OperatorId{2}, permission::kAuditExport, {}));
    CHECK(policy->allows(OperatorId{2}, permission::kAccessRead, {}));
    CHECK(policy->allows(OperatorId{3}, permission::kAuditRead, {}));
    CHECK_FALSE(policy->allows(OperatorId{3}, permission::kAuditExport, {}));
    CHECK_FALSE(policy->allows(OperatorId{3}, permission::kAccessRead, {}));
}

TEST_CASE("access: policy keeps assignments whose indexes are too large to pack", "[access]") {
    using pitboss::access::Clause;
    using pitboss::access::ConditionOp;
    PolicyBuilder b;
    b.add_role("reader");
    b.add_grant("reader", permission::kPlayersRead);
    pitboss::access::ConditionIndex last = 0;
    for (std::int64_t i = 0; i < 70000; ++i) {
        last = b.add_condition(Condition({Clause{"desk", ConditionOp::kEq, {i}}}));
    }
    b.add_operator(OperatorId{1}, OperatorStatus::kActive);
    b.add_operator(OperatorId{2}, OperatorStatus::kActive);
    b.add_assignment(OperatorId{1}, "reader", last);  // index 69999: beyond 16 bits
    b.add_assignment(OperatorId{2}, "reader", 7);
    const auto policy = b.build();
    CHECK(policy->allows(OperatorId{1}, permission::kPlayersRead, {{"desk", std::int64_t{69999}}}));
    CHECK_FALSE(
        policy->allows(OperatorId{1}, permission::kPlayersRead, {{"desk", std::int64_t{7}}}));
    CHECK(policy->allows(OperatorId{2}, permission::kPlayersRead, {{"desk", std::int64_t{7}}}));
    CHECK_FALSE(
        policy->allows(OperatorId{2}, permission::kPlayersRead, {{"desk", std::int64_t{69999}}}));
    CHECK(policy->decide(OperatorId{1}, permission::kPlayersRead, {{"desk", std::int64_t{7}}})
              .reason == "scope condition desk failed");
}
