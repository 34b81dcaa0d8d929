// access: operators, roles, grants, scopes and audited denials on the backend named by
// PITBOSS_TEST_BACKEND.

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "access/guarded.hpp"
#include "pitboss/access/access_control.hpp"
#include "pitboss/audit/audit_log.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/storage/migration.hpp"
#include "pitboss/transport/outbox.hpp"
#include "support/test_backoffice.hpp"
#include "support/test_database.hpp"

namespace pitboss::access {
namespace {

using storage::Database;
using storage::Params;
using storage::Transaction;
using storage::TxMode;

/// Lets the audit log be built before the AccessControl it asks (the two refer to each other).
class LateAuthorizer final : public Authorizer {
public:
    void bind(const Authorizer& target) { target_ = &target; }
    void require(const Actor& actor, std::string_view permission,
                 const Attributes& resource) const override {
        if (target_ == nullptr) throw AccessDenied("no authorizer bound yet");
        target_->require(actor, permission, resource);
    }

private:
    const Authorizer* target_ = nullptr;
};

bool migrate(Database& db) {
    std::vector<storage::Migration> all = audit::AuditLog::migrations();
    for (auto& m : transport::Outbox::migrations()) all.push_back(std::move(m));
    for (auto& m : AccessControl::migrations()) all.push_back(std::move(m));
    storage::apply_migrations(db, all);
    return true;
}

/// One database, an audit log and an AccessControl over it.
struct Stack {
    explicit Stack(const std::string& database_url) : url(database_url) { authorizer.bind(access); }

    std::string url;
    std::unique_ptr<Database> db = Database::open(url);
    bool migrated = migrate(*db);
    ManualClock clock{testing::fixture_start()};
    LateAuthorizer authorizer;
    audit::AuditLog audit{*db, clock, authorizer};
    AccessControl access{*db, clock, audit};
};

struct Fixture {
    Stack stack{testing::fresh_database_url()};
    Database& db = *stack.db;
    AccessControl& access = stack.access;
    audit::AuditLog& audit = stack.audit;
    Actor bootstrap = access.system_actor("bootstrap");

    /// A new operator holding `role` (optionally scoped), as an actor.
    Actor operator_with(const std::string& name, const std::string& role,
                        const Condition& scope = {}) {
        const Operator op = access.create_operator(bootstrap, {name, "Test " + name});
        access.assign_role(bootstrap, op.id, role, scope);
        return access.operator_actor(op.id);
    }

    std::vector<audit::Entry> entries() { return audit.list(bootstrap, {}, 10000); }

    std::vector<std::string> actions() {
        std::vector<std::string> out;
        for (const auto& e : entries()) out.push_back(e.action);
        return out;
    }

    std::int64_t count(const std::string& sql) {
        auto tx = db.begin(TxMode::kRead);
        return tx.query_single(sql).int64(0);
    }
};

Attributes amount(std::int64_t minor) { return {{"amount_minor", minor}}; }

template <class F>
std::string denial_message(F&& f) {
    try {
        f();
    } catch (const AccessDenied& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("access: the migrations seed seven roles with their permissions", "[access]") {
    Fixture f;
    const std::vector<Role> roles = f.access.list_roles(f.bootstrap);
    std::set<std::string> names;
    for (const auto& r : roles) names.insert(r.name);
    CHECK(names == std::set<std::string>{"admin", "analyst", "compliance_officer", "marketer",
                                         "operator", "platform", "support_agent"});
    auto permissions_of = [&](const std::string& role) {
        std::set<std::string> out;
        for (const auto& r : roles) {
            if (r.name != role) continue;
            for (const auto& p : r.permissions) out.insert(p.permission);
        }
        return out;
    };
    CHECK(permissions_of("admin") ==
          std::set<std::string>(permission::kAll.begin(), permission::kAll.end()));
    CHECK(permissions_of("support_agent") == std::set<std::string>{"events.read", "players.read"});
    CHECK(permissions_of("marketer") == std::set<std::string>{"events.read", "players.read"});
    CHECK(permissions_of("analyst") ==
          std::set<std::string>{"audit.read", "events.read", "players.read"});
    CHECK(permissions_of("compliance_officer") ==
          std::set<std::string>{"audit.export", "audit.read", "events.read", "players.read",
                                "players.status"});
    CHECK(permissions_of("operator") == std::set<std::string>{"events.read", "payments.adjust",
                                                              "players.read", "players.status",
                                                              "players.write"});
    CHECK(permissions_of("platform") == std::set<std::string>{"events.ingest"});
    for (const auto& r : roles) {
        for (const auto& p : r.permissions) {
            INFO(r.name << " " << p.permission);
            if (r.name == "operator" && p.permission == "payments.adjust") {
                CHECK(p.condition == Condition::parse(R"({"amount_minor": {"le": 100000}})"));
            } else {
                CHECK(p.condition.empty());
            }
        }
    }
}

TEST_CASE("access: the bootstrap system actor holds admin and may do everything", "[access]") {
    Fixture f;
    CHECK(f.bootstrap.kind() == ActorKind::kSystem);
    CHECK(f.bootstrap.label() == "system:bootstrap");
    const auto assignments = f.access.assignments(f.bootstrap, f.bootstrap.id());
    REQUIRE(assignments.size() == 1);
    CHECK(assignments.front().role == "admin");
    for (auto p : permission::kAll) {
        INFO(p);
        CHECK(f.access.check(f.bootstrap, p).allowed);
        CHECK(f.access.allowed(f.bootstrap, p, {{"country", "FR"}, {"amount_minor", 1 << 30}}));
        CHECK_NOTHROW(f.access.require(f.bootstrap, p));
    }
    CHECK_FALSE(f.access.check(f.bootstrap, "players.fly").allowed);
}

TEST_CASE("access: system and operator actors are looked up by kind", "[access]") {
    Fixture f;
    CHECK_THROWS_AS(f.access.system_actor("campaign-dispatcher"), NotFoundError);
    CHECK_THROWS_AS(f.access.operator_actor("bootstrap"), NotFoundError);
    CHECK_THROWS_AS(f.access.operator_actor(f.bootstrap.id()), NotFoundError);
    CHECK_THROWS_AS(f.access.operator_actor(OperatorId{424242}), NotFoundError);

    const Operator bot = f.access.create_operator(
        f.bootstrap, {"campaign-dispatcher", "Campaign dispatcher", ActorKind::kSystem});
    const Actor dispatcher = f.access.system_actor("campaign-dispatcher");
    CHECK(dispatcher.id() == bot.id);
    CHECK(dispatcher.label() == "system:campaign-dispatcher");
    CHECK_THROWS_AS(f.access.operator_actor(bot.id), NotFoundError);

    const Operator alice = f.access.create_operator(f.bootstrap, {"alice", "Alice"});
    CHECK(alice.created_at == testing::fixture_start());
    CHECK(alice.status == OperatorStatus::kActive);
    CHECK(f.access.operator_actor("alice").id() == alice.id);
    CHECK(f.access.operator_actor(alice.id).label() == "operator:alice");
    CHECK_THROWS_AS(f.access.system_actor("alice"), NotFoundError);
}

TEST_CASE("access: a support agent reads players but cannot write them", "[access]") {
    Fixture f;
    const Actor agent = f.operator_with("agent.one", "support_agent");
    CHECK(f.access.check(agent, permission::kPlayersRead).allowed);
    const Decision write = f.access.check(agent, permission::kPlayersWrite);
    CHECK_FALSE(write.allowed);
    CHECK(write.reason == "no role grants players.write");
    CHECK_FALSE(f.access.allowed(agent, permission::kPaymentsAdjust, amount(1)));
    const std::string message =
        denial_message([&] { f.access.require(agent, permission::kPlayersWrite); });
    CHECK(message.find("operator:agent.one") != std::string::npos);
    CHECK(message.find("players.write") != std::string::npos);
    CHECK_THROWS_AS(f.access.require(agent, permission::kPlayersWrite), PermissionDenied);
}

TEST_CASE("access: a scoped assignment allows only inside its scope", "[access]") {
    Fixture f;
    const Actor agent = f.operator_with("agent.dach", "support_agent",
                                        Condition::parse(R"({"country": {"in": ["DE", "AT"]}})"));
    CHECK(f.access.allowed(agent, permission::kPlayersRead, {{"country", "DE"}}));
    CHECK(f.access.allowed(agent, permission::kPlayersRead, {{"country", "AT"}, {"brand", "x"}}));
    CHECK_FALSE(f.access.allowed(agent, permission::kPlayersRead, {{"country", "FR"}}));
    CHECK_FALSE(f.access.allowed(agent, permission::kPlayersRead, {}));
    const Decision fr = f.access.check(agent, permission::kPlayersRead, {{"country", "FR"}});
    CHECK_FALSE(fr.allowed);
    CHECK(fr.reason.find("country") != std::string::npos);
    const std::string message = denial_message([&] {
        f.access.require(agent, permission::kPlayersRead, {{"country", "FR"}});
    });
    CHECK(message.find("country") != std::string::npos);
    CHECK(message.find("players.read") != std::string::npos);

    const auto stored = f.access.assignments(f.bootstrap, agent.id());
    REQUIRE(stored.size() == 1);
    CHECK(stored.front().scope == Condition::parse(R"({"country": {"in": ["DE", "AT"]}})"));
}

TEST_CASE("access: an operator adjusts balances up to 1,000.00 only", "[access]") {
    Fixture f;
    const Actor cashier = f.operator_with("cashier", "operator");
    CHECK(f.access.allowed(cashier, permission::kPaymentsAdjust, amount(100000)));
    CHECK(f.access.allowed(cashier, permission::kPaymentsAdjust, amount(-5)));
    CHECK_FALSE(f.access.allowed(cashier, permission::kPaymentsAdjust, amount(100001)));
    CHECK_FALSE(f.access.allowed(cashier, permission::kPaymentsAdjust, {{"amount_minor", "1"}}));
    CHECK_FALSE(f.access.allowed(cashier, permission::kPaymentsAdjust, {}));
    const std::string message = denial_message(
        [&] { f.access.require(cashier, permission::kPaymentsAdjust, amount(100001)); });
    CHECK(message.find("amount_minor") != std::string::npos);
    CHECK(message.find("100001") == std::string::npos);
}

TEST_CASE("access: a denial is audited although the refused call rolled back", "[access]") {
    Fixture f;
    const Actor agent = f.operator_with("agent.two", "support_agent");
    const std::size_t before = f.entries().size();
    CHECK_THROWS_AS(guarded(f.db, f.access, agent, TxMode::kWrite,
                            [&](Transaction& tx) {
                                tx.execute("INSERT INTO roles (name, description) VALUES (?, ?)",
                                           Params("sneaky", "written before the check"));
                                f.audit.append(
                                    tx, agent,
                                    {"test.sneaky_write", "role:sneaky", nullptr, {{"x", 1}}});
                                f.access.require(agent, permission::kPlayersWrite);
                            }),
                    AccessDenied);
    CHECK(f.count("SELECT count(*) FROM roles WHERE name = 'sneaky'") == 0);
    const auto entries = f.entries();
    REQUIRE(entries.size() == before + 1);
    const audit::Entry& denied = entries.back();
    CHECK(denied.action == "access.denied");
    CHECK(denied.actor == "operator:agent.two");
    CHECK(denied.target == "operator:" + agent.id().to_string());
    CHECK(denied.after["permission"] == "players.write");
    CHECK(denied.after["reason"] == "no role grants players.write");
    CHECK(std::none_of(entries.begin(), entries.end(),
                       [](const auto& e) { return e.action == "test.sneaky_write"; }));
    CHECK(f.audit.verify().ok);
}

TEST_CASE("access: a denial that is not a PermissionDenied is audited with its message",
          "[access]") {
    Fixture f;
    f.access.record_denial(f.bootstrap, AccessDenied("refused by the platform"));
    const auto entries = f.entries();
    REQUIRE_FALSE(entries.empty());
    CHECK(entries.back().action == "access.denied");
    CHECK(entries.back().after["permission"].is_null());
    CHECK(entries.back().after["reason"] == "refused by the platform");
}

TEST_CASE("access: a disabled operator is denied everything", "[access]") {
    Fixture f;
    const Actor agent = f.operator_with("agent.three", "support_agent");
    f.access.set_operator_status(f.bootstrap, agent.id(), OperatorStatus::kDisabled);
    CHECK_FALSE(f.access.allowed(agent, permission::kPlayersRead));
    CHECK(f.access.check(agent, permission::kPlayersRead).reason.find("disabled") !=
          std::string::npos);
    CHECK_THROWS_AS(f.access.operator_actor(agent.id()), AccessDenied);
    CHECK_THROWS_AS(f.access.operator_actor("agent.three"), AccessDenied);

    f.access.set_operator_status(f.bootstrap, agent.id(), OperatorStatus::kActive);
    CHECK(f.access.allowed(agent, permission::kPlayersRead));
    CHECK(f.access.operator_actor(agent.id()).id() == agent.id());
}

TEST_CASE("access: administrative changes are audited and take effect at once", "[access]") {
    Fixture f;
    const Operator bob = f.access.create_operator(f.bootstrap, {"bob", ""});
    CHECK(bob.display_name == "bob");
    f.access.create_role(f.bootstrap, "de_desk", "German desk");
    f.access.grant(f.bootstrap, "de_desk", permission::kPlayersWrite,
                   Condition::parse(R"({"country": {"eq": "DE"}})"));
    f.access.grant(f.bootstrap, "de_desk", permission::kPlayersRead);
    f.access.assign_role(f.bootstrap, bob.id, "de_desk");
    const Actor b = f.access.operator_actor(bob.id);
    CHECK(f.access.allowed(b, permission::kPlayersWrite, {{"country", "DE"}}));
    CHECK_FALSE(f.access.allowed(b, permission::kPlayersWrite, {{"country", "AT"}}));
    f.access.revoke(f.bootstrap, "de_desk", permission::kPlayersWrite);
    CHECK_FALSE(f.access.allowed(b, permission::kPlayersWrite, {{"country", "DE"}}));
    CHECK(f.access.allowed(b, permission::kPlayersRead));
    f.access.unassign_role(f.bootstrap, bob.id, "de_desk");
    CHECK_FALSE(f.access.allowed(b, permission::kPlayersRead));
    f.access.set_operator_status(f.bootstrap, bob.id, OperatorStatus::kDisabled);

    std::vector<std::string> actions;
    for (const auto& e : f.entries()) {
        if (e.actor == "system:bootstrap") actions.push_back(e.action);
    }
    CHECK(actions == std::vector<std::string>{
                         "access.operator_created", "access.role_created", "access.role_granted",
                         "access.role_granted", "access.role_assigned", "access.role_revoked",
                         "access.role_unassigned", "access.operator_status_changed"});
    const auto entries = f.entries();
    const auto granted = std::find_if(entries.begin(), entries.end(), [](const auto& e) {
        return e.action == "access.role_granted";
    });
    REQUIRE(granted != entries.end());
    CHECK(granted->target == "role:de_desk");
    CHECK(granted->after["permission"] == "players.write");
    CHECK(granted->after["condition"] == Json::parse(R"({"country": {"eq": "DE"}})"));
    CHECK(entries.back().target == "operator:" + bob.id.to_string());
    CHECK(entries.back().before["status"] == "active");
    CHECK(entries.back().after["status"] == "disabled");
    CHECK(f.audit.verify().ok);
}

TEST_CASE("access: administration needs access.manage and listing needs access.read", "[access]") {
    Fixture f;
    const Actor agent = f.operator_with("agent.four", "support_agent");
    const auto operators_before = f.count("SELECT count(*) FROM operators");
    CHECK_THROWS_AS(f.access.create_operator(agent, {"mallory", "Mallory"}), AccessDenied);
    CHECK_THROWS_AS(f.access.assign_role(agent, agent.id(), "admin"), AccessDenied);
    CHECK_THROWS_AS(f.access.create_role(agent, "rogue", ""), AccessDenied);
    CHECK_THROWS_AS(f.access.list_operators(agent), AccessDenied);
    CHECK(f.count("SELECT count(*) FROM operators") == operators_before);
    CHECK_FALSE(f.access.allowed(agent, permission::kAccessManage));
    std::vector<std::string> denied_permissions;
    for (const auto& e : f.entries()) {
        if (e.action == "access.denied") denied_permissions.push_back(e.after["permission"]);
    }
    CHECK(denied_permissions == std::vector<std::string>{"access.manage", "access.manage",
                                                         "access.manage", "access.read"});

    f.access.create_role(f.bootstrap, "auditor", "reads access settings");
    f.access.grant(f.bootstrap, "auditor", permission::kAccessRead);
    const Actor auditor = f.operator_with("auditor.one", "auditor");
    CHECK(f.access.list_operators(auditor).size() == 4);  // bootstrap, platform, two operators
    CHECK(f.access.list_roles(auditor).size() == 8);
    CHECK_THROWS_AS(f.access.grant(auditor, "auditor", permission::kAccessManage), AccessDenied);
}

TEST_CASE("access: administrative input is validated", "[access]") {
    Fixture f;
    const Actor& admin = f.bootstrap;
    auto field_of = [](auto&& call) {
        try {
            call();
        } catch (const ValidationError& e) {
            return e.field();
        }
        return std::string("(no ValidationError)");
    };
    CHECK(field_of([&] { f.access.create_operator(admin, {"al", ""}); }) == "name");
    CHECK(field_of([&] { f.access.create_operator(admin, {"Alice", ""}); }) == "name");
    CHECK(field_of([&] { f.access.create_operator(admin, {"al ice", ""}); }) == "name");
    CHECK(field_of([&] { f.access.create_operator(admin, {std::string(65, 'a'), ""}); }) == "name");
    CHECK(field_of([&] {
              f.access.create_operator(admin, {"alice", "tab\there"});
          }) == "display_name");
    CHECK(field_of([&] {
              f.access.create_operator(admin, {"alice", "\xff\xfe"});
          }) == "display_name");
    CHECK(field_of([&] { f.access.create_role(admin, "x", ""); }) == "role");
    CHECK(field_of([&] { f.access.create_role(admin, "Desk", ""); }) == "role");
    CHECK(field_of([&] { f.access.create_role(admin, "de-desk", ""); }) == "role");
    CHECK(field_of([&] { f.access.create_role(admin, std::string(41, 'r'), ""); }) == "role");
    CHECK(field_of([&] { f.access.grant(admin, "analyst", "players.fly"); }) == "permission");
    CHECK(field_of([&] { f.access.revoke(admin, "analyst", "players.fly"); }) == "permission");
    CHECK_NOTHROW(f.access.create_operator(admin, {"a.b-c_9", "Ünïcödé Name"}));
    CHECK_NOTHROW(f.access.create_role(admin, std::string(40, 'r'), ""));

    CHECK_THROWS_AS(f.access.grant(admin, "ghost_role", permission::kPlayersRead), NotFoundError);
    CHECK_THROWS_AS(f.access.assign_role(admin, f.bootstrap.id(), "ghost_role"), NotFoundError);
    CHECK_THROWS_AS(f.access.assign_role(admin, OperatorId{999}, "analyst"), NotFoundError);
    CHECK_THROWS_AS(f.access.set_operator_status(admin, OperatorId{999}, OperatorStatus::kDisabled),
                    NotFoundError);
    CHECK_THROWS_AS(f.access.revoke(admin, "analyst", permission::kPlayersWrite), NotFoundError);
    CHECK_THROWS_AS(f.access.unassign_role(admin, f.bootstrap.id(), "analyst"), NotFoundError);
    CHECK_THROWS_AS(f.access.assignments(admin, OperatorId{999}), NotFoundError);
}

TEST_CASE("access: duplicates are conflicts and change nothing", "[access]") {
    Fixture f;
    const Actor& admin = f.bootstrap;
    const Operator carol = f.access.create_operator(admin, {"carol", "Carol"});
    const std::size_t entries = f.entries().size();
    CHECK_THROWS_AS(f.access.create_operator(admin, {"carol", "Another Carol"}), ConflictError);
    CHECK_THROWS_AS(f.access.create_operator(admin, {"bootstrap", "Impostor"}), ConflictError);
    CHECK_THROWS_AS(f.access.create_role(admin, "analyst", "again"), ConflictError);
    CHECK_THROWS_AS(f.access.grant(admin, "analyst", permission::kPlayersRead), ConflictError);
    f.access.assign_role(admin, carol.id, "analyst");
    CHECK_THROWS_AS(f.access.assign_role(admin, carol.id, "analyst"), ConflictError);
    CHECK(f.entries().size() == entries + 1);
    CHECK(f.count("SELECT count(*) FROM operators WHERE name = 'carol'") == 1);
}

TEST_CASE("access: reload sees changes made by another AccessControl", "[access]") {
    Fixture f;
    Stack other(f.stack.url);
    const Actor other_admin = other.access.system_actor("bootstrap");
    const Operator dave = other.access.create_operator(other_admin, {"dave", "Dave"});
    other.access.assign_role(other_admin, dave.id, "analyst");
    const Actor d = f.access.operator_actor(dave.id);  // read from the database

    CHECK(other.access.allowed(d, permission::kAuditRead));
    CHECK_FALSE(f.access.allowed(d, permission::kAuditRead));  // not reloaded yet
    f.access.reload();
    CHECK(f.access.allowed(d, permission::kAuditRead));

    other.access.set_operator_status(other_admin, dave.id, OperatorStatus::kDisabled);
    CHECK(f.access.allowed(d, permission::kAuditRead));
    f.access.reload();
    CHECK_FALSE(f.access.allowed(d, permission::kAuditRead));
}

TEST_CASE("access: a tampered stored condition grants nothing", "[access]") {
    Fixture f;
    const Actor agent = f.operator_with("agent.five", "support_agent",
                                        Condition::parse(R"({"country": {"eq": "DE"}})"));
    f.db.run(TxMode::kWrite, [&](Transaction& tx) {
        tx.execute("UPDATE operator_roles SET scope_json = ? WHERE operator_id = ?",
                   Params("{\"country\": {\"like\": \"%\"}}", agent.id().value()));
    });
    f.access.reload();
    CHECK_FALSE(f.access.allowed(agent, permission::kPlayersRead, {{"country", "DE"}}));
    CHECK_THROWS_AS(f.access.assignments(f.bootstrap, agent.id()), IntegrityError);
    // It can still be removed, and the removal is audited with the stored text.
    f.access.unassign_role(f.bootstrap, agent.id(), "support_agent");
    CHECK(f.entries().back().before["scope"] == Json::parse(R"({"country": {"like": "%"}})"));
}

}  // namespace pitboss::access

namespace pitboss::access {

TEST_CASE("access: an unmigrated database starts with a policy that denies everything",
          "[access]") {
    auto db = storage::Database::open(testing::fresh_database_url());
    ManualClock clock{testing::fixture_start()};
    LateAuthorizer authorizer;
    audit::AuditLog audit{*db, clock, authorizer};
    AccessControl access{*db, clock, audit};
    authorizer.bind(access);
    const Actor bootstrap = ActorFactory::make(OperatorId{1}, ActorKind::kSystem, "bootstrap");
    CHECK_FALSE(access.allowed(bootstrap, permission::kPlayersRead));

    migrate(*db);
    CHECK_FALSE(access.allowed(bootstrap, permission::kPlayersRead));
    access.reload();
    CHECK(access.system_actor("bootstrap").id() == bootstrap.id());
    CHECK(access.allowed(bootstrap, permission::kPlayersRead));
}

}  // namespace pitboss::access

namespace pitboss::access {

TEST_CASE("access: checks run safely while the policy is replaced", "[access]") {
    Fixture f;
    const Actor agent = f.operator_with("agent.six", "support_agent");
    std::atomic<bool> done{false};
    std::size_t bootstrap_denied = 0;
    std::thread checker([&] {
        while (!done.load()) {
            if (!f.access.allowed(f.bootstrap, permission::kAuditRead)) ++bootstrap_denied;
            (void)f.access.allowed(agent, permission::kAuditRead);  // either answer is right
        }
    });
    for (int i = 0; i < 20; ++i) {
        f.access.grant(f.bootstrap, "support_agent", permission::kAuditRead);
        f.access.revoke(f.bootstrap, "support_agent", permission::kAuditRead);
        f.access.reload();
    }
    done = true;
    checker.join();
    CHECK(bootstrap_denied == 0);
    CHECK_FALSE(f.access.allowed(agent, permission::kAuditRead));
}

}  // namespace pitboss::access
