#include "access/access_store.hpp"

#include <unordered_map>
#include <utility>

#include "access/identity_store.hpp"
#include "pitboss/core/error.hpp"

namespace pitboss::access::detail {
namespace {

using storage::Cursor;
using storage::Null;
using storage::Params;
using storage::Row;

// Seeds are plain INSERTs so every backend gets the same rows. New permissions are granted in
// new migrations: this text never changes once released.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE operators (
    id {{id}},
    name {{text}} NOT NULL UNIQUE,
    display_name {{text}} NOT NULL,
    kind {{text}} NOT NULL CHECK (kind IN ('operator', 'system')),
    status {{text}} NOT NULL CHECK (status IN ('active', 'disabled')),
    created_at {{bigint}} NOT NULL
);
CREATE TABLE roles (
    name {{text}} PRIMARY KEY,
    description {{text}} NOT NULL
);
CREATE TABLE role_permissions (
    role {{text}} NOT NULL REFERENCES roles (name),
    permission {{text}} NOT NULL,
    condition_json {{text}},
    PRIMARY KEY (role, permission)
);
CREATE TABLE operator_roles (
    operator_id {{bigint}} NOT NULL REFERENCES operators (id),
    role {{text}} NOT NULL REFERENCES roles (name),
    scope_json {{text}},
    PRIMARY KEY (operator_id, role)
);
INSERT INTO roles (name, description) VALUES
    ('admin', 'Everything, including operators and roles'),
    ('operator', 'Runs the casino: players, statuses, balance adjustments up to 1,000.00'),
    ('support_agent', 'Help desk: reads player profiles'),
    ('marketer', 'Campaigns and segments: reads player profiles'),
    ('compliance_officer', 'KYC/AML: reads players, changes their status, reads and exports the audit log'),
    ('analyst', 'Reports: reads players and the audit log');
INSERT INTO role_permissions (role, permission, condition_json) VALUES
    ('admin', 'players.read', NULL),
    ('admin', 'players.write', NULL),
    ('admin', 'players.status', NULL),
    ('admin', 'audit.read', NULL),
    ('admin', 'audit.export', NULL),
    ('admin', 'access.read', NULL),
    ('admin', 'access.manage', NULL),
    ('admin', 'payments.adjust', NULL),
    ('operator', 'players.read', NULL),
    ('operator', 'players.write', NULL),
    ('operator', 'players.status', NULL),
    ('operator', 'payments.adjust', '{"amount_minor":{"le":100000}}'),
    ('support_agent', 'players.read', NULL),
    ('marketer', 'players.read', NULL),
    ('compliance_officer', 'players.read', NULL),
    ('compliance_officer', 'players.status', NULL),
    ('compliance_officer', 'audit.read', NULL),
    ('compliance_officer', 'audit.export', NULL),
    ('analyst', 'players.read', NULL),
    ('analyst', 'audit.read', NULL);
INSERT INTO operators (name, display_name, kind, status, created_at) VALUES
    ('bootstrap', 'Bootstrap administrator', 'system', 'active', 0);
INSERT INTO operator_roles (operator_id, role, scope_json)
    SELECT id, 'admin', NULL FROM operators WHERE name = 'bootstrap'
)sql";

// Event ingestion (issue 3): the casino platform feeds events as the system actor "platform".
constexpr std::string_view kSchemaV2 = R"sql(
INSERT INTO roles (name, description) VALUES
    ('platform', 'The casino platform: feeds player events');
INSERT INTO role_permissions (role, permission, condition_json) VALUES
    ('admin', 'events.ingest', NULL),
    ('admin', 'events.read', NULL),
    ('operator', 'events.read', NULL),
    ('support_agent', 'events.read', NULL),
    ('marketer', 'events.read', NULL),
    ('compliance_officer', 'events.read', NULL),
    ('analyst', 'events.read', NULL),
    ('platform', 'events.ingest', NULL);
INSERT INTO operators (name, display_name, kind, status, created_at) VALUES
    ('platform', 'Casino platform event feed', 'system', 'active', 0);
INSERT INTO operator_roles (operator_id, role, scope_json)
    SELECT id, 'platform', NULL FROM operators WHERE name = 'platform'
)sql";

// Help desk (issue 5): admin holds every permission; the help desk's own migration grants the
// other roles theirs.
constexpr std::string_view kSchemaV3 = R"sql(
INSERT INTO role_permissions (role, permission, condition_json) VALUES
    ('admin', 'helpdesk.read', NULL),
    ('admin', 'helpdesk.write', NULL),
    ('admin', 'helpdesk.admin', NULL)
)sql";

// Segments (issue 4): admin holds every permission; the segments module's own migration grants
// the other roles theirs.
constexpr std::string_view kSchemaV5 = R"sql(
INSERT INTO role_permissions (role, permission, condition_json) VALUES
    ('admin', 'segments.read', NULL),
    ('admin', 'segments.write', NULL)
)sql";

constexpr std::string_view kOperatorColumns = "id, name, display_name, kind, status, created_at";

ActorKind kind_from(std::string_view text) {
    if (text == "operator") return ActorKind::kOperator;
    if (text == "system") return ActorKind::kSystem;
    throw IntegrityError("operators.kind holds an unknown kind");
}

OperatorStatus status_from(std::string_view text) {
    if (text == "active") return OperatorStatus::kActive;
    if (text == "disabled") return OperatorStatus::kDisabled;
    throw IntegrityError("operators.status holds an unknown status");
}

Operator operator_from(const Row& row) {
    return {OperatorId(row.int64(0)), row.text(1),     row.text(2), kind_from(row.text(3)),
            status_from(row.text(4)), row.timestamp(5)};
}

// NULL for the empty condition, so "unconditional" has one spelling.
std::optional<std::string> condition_text(const Condition& condition) {
    if (condition.empty()) return std::nullopt;
    return condition.to_json().dump();
}

// For listings: a stored condition that no longer parses was not written by pitboss.
Condition condition_from(const std::optional<std::string>& text, std::string_view column) {
    if (!text) return Condition();
    try {
        return Condition::parse(*text);
    } catch (const ValidationError& e) {
        throw IntegrityError(std::string(column) + " does not parse: " + e.what());
    }
}

// For the audit entry of a removal: the stored text as JSON, even when it is not a valid
// condition (a removal must still be possible then), null when there was none.
Json stored_json(const std::optional<std::string>& text) {
    if (!text) return nullptr;
    Json j = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
    return j.is_discarded() ? Json(*text) : j;
}

// Parses each distinct stored condition once: many assignments share a scope.
class ConditionCache {
public:
    explicit ConditionCache(PolicyBuilder& builder) : builder_(builder) {}

    /// The condition's index, kNoCondition for NULL, nothing when the text does not parse.
    std::optional<ConditionIndex> index_of(const Cursor& row, std::size_t column) {
        if (row.is_null(column)) return kNoCondition;
        const std::string_view text = row.text(column);
        auto it = cache_.find(std::string(text));
        if (it == cache_.end()) {
            std::optional<ConditionIndex> index;
            try {
                index = builder_.add_condition(Condition::parse(text));
            } catch (const ValidationError&) {
                index = std::nullopt;  // tampered or corrupt: the row will grant nothing
            }
            it = cache_.emplace(std::string(text), index).first;
        }
        return it->second;
    }

private:
    PolicyBuilder& builder_;
    std::unordered_map<std::string, std::optional<ConditionIndex>> cache_;
};

}  // namespace

std::string_view to_string(ActorKind kind) noexcept {
    return kind == ActorKind::kSystem ? "system" : "operator";
}

std::string_view to_string(OperatorStatus status) noexcept {
    return status == OperatorStatus::kDisabled ? "disabled" : "active";
}

void AccessStore::load(PolicyBuilder& builder) {
    ConditionCache conditions(builder);
    tx_.for_each("SELECT id, status FROM operators", {}, [&](const Cursor& row) {
        builder.add_operator(OperatorId(row.int64(0)), status_from(row.text(1)));
    });
    tx_.for_each("SELECT name FROM roles", {},
                 [&](const Cursor& row) { builder.add_role(row.text(0)); });
    tx_.for_each("SELECT role, permission, condition_json FROM role_permissions", {},
                 [&](const Cursor& row) {
                     if (const auto condition = conditions.index_of(row, 2)) {
                         builder.add_grant(row.text(0), row.text(1), *condition);
                     }
                 });
    tx_.for_each("SELECT operator_id, role, scope_json FROM operator_roles", {},
                 [&](const Cursor& row) {
                     if (const auto scope = conditions.index_of(row, 2)) {
                         builder.add_assignment(OperatorId(row.int64(0)), row.text(1), *scope);
                     }
                 });
}

std::optional<Operator> AccessStore::find_operator(OperatorId id) {
    const auto row = tx_.query_optional(
        "SELECT " + std::string(kOperatorColumns) + " FROM operators WHERE id = ?",
        Params(id.value()));
    if (!row) return std::nullopt;
    return operator_from(*row);
}

std::optional<Operator> AccessStore::find_operator(std::string_view name) {
    const auto row = tx_.query_optional(
        "SELECT " + std::string(kOperatorColumns) + " FROM operators WHERE name = ?", Params(name));
    if (!row) return std::nullopt;
    return operator_from(*row);
}

std::optional<Operator> AccessStore::insert_operator(const NewOperator& input,
                                                     Timestamp created_at) {
    const auto row = tx_.query_optional(
        "INSERT INTO operators (name, display_name, kind, status, created_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING id",
        Params(input.name, input.display_name, to_string(input.kind),
               to_string(OperatorStatus::kActive), created_at));
    if (!row) return std::nullopt;
    return Operator{OperatorId(row->int64(0)), input.name, input.display_name, input.kind,
                    OperatorStatus::kActive,   created_at};
}

void AccessStore::set_status(OperatorId id, OperatorStatus status) {
    tx_.execute("UPDATE operators SET status = ? WHERE id = ?",
                Params(to_string(status), id.value()));
}

std::vector<Operator> AccessStore::operators() {
    std::vector<Operator> out;
    for (const Row& row :
         tx_.query("SELECT " + std::string(kOperatorColumns) + " FROM operators ORDER BY id")) {
        out.push_back(operator_from(row));
    }
    return out;
}

bool AccessStore::role_exists(std::string_view name) {
    return tx_.query_optional("SELECT 1 FROM roles WHERE name = ?", Params(name)).has_value();
}

bool AccessStore::insert_role(std::string_view name, std::string_view description) {
    return tx_.execute(
               "INSERT INTO roles (name, description) VALUES (?, ?)"
               " ON CONFLICT (name) DO NOTHING",
               Params(name, description)) == 1;
}

std::vector<Role> AccessStore::roles() {
    std::vector<Role> out;
    std::unordered_map<std::string, std::size_t> position;
    for (const Row& row : tx_.query("SELECT name, description FROM roles ORDER BY name")) {
        position.emplace(row.text(0), out.size());
        out.push_back({row.text(0), row.text(1), {}});
    }
    for (const Row& row : tx_.query("SELECT role, permission, condition_json"
                                    " FROM role_permissions ORDER BY role, permission")) {
        const auto it = position.find(row.text(0));
        if (it == position.end()) continue;
        out[it->second].permissions.push_back(
            {row.text(1), condition_from(row.opt_text(2), "role_permissions.condition_json")});
    }
    return out;
}

bool AccessStore::insert_grant(std::string_view role, std::string_view permission,
                               const Condition& condition) {
    return tx_.execute(
               "INSERT INTO role_permissions (role, permission, condition_json)"
               " VALUES (?, ?, ?) ON CONFLICT (role, permission) DO NOTHING",
               Params(role, permission, condition_text(condition))) == 1;
}

std::optional<Json> AccessStore::delete_grant(std::string_view role, std::string_view permission) {
    const auto row = tx_.query_optional(
        "DELETE FROM role_permissions WHERE role = ? AND permission = ? RETURNING condition_json",
        Params(role, permission));
    if (!row) return std::nullopt;
    return stored_json(row->opt_text(0));
}

bool AccessStore::insert_assignment(OperatorId id, std::string_view role, const Condition& scope) {
    return tx_.execute(
               "INSERT INTO operator_roles (operator_id, role, scope_json)"
               " VALUES (?, ?, ?) ON CONFLICT (operator_id, role) DO NOTHING",
               Params(id.value(), role, condition_text(scope))) == 1;
}

std::optional<Json> AccessStore::delete_assignment(OperatorId id, std::string_view role) {
    const auto row = tx_.query_optional(
        "DELETE FROM operator_roles WHERE operator_id = ? AND role = ? RETURNING scope_json",
        Params(id.value(), role));
    if (!row) return std::nullopt;
    return stored_json(row->opt_text(0));
}

std::vector<RoleAssignment> AccessStore::assignments(OperatorId id) {
    std::vector<RoleAssignment> out;
    for (const Row& row : tx_.query("SELECT role, scope_json FROM operator_roles"
                                    " WHERE operator_id = ? ORDER BY role",
                                    Params(id.value()))) {
        out.push_back(
            {id, row.text(0), condition_from(row.opt_text(1), "operator_roles.scope_json")});
    }
    return out;
}

std::vector<storage::Migration> AccessStore::migrations() {
    return {{"access", 1, "operators, roles, grants, assignments; seeded roles and bootstrap",
             std::string(kSchemaV1)},
            {"access", 2, "event ingestion: events.* permissions, the platform role and actor",
             std::string(kSchemaV2)},
            {"access", 3, "help desk: helpdesk.* permissions for admin", std::string(kSchemaV3)},
            {"access", 4, "operator identity: credentials, 2FA, throttling, sessions",
             std::string(IdentityStore::schema())},
            {"access", 5, "segments: segments.* permissions for admin", std::string(kSchemaV5)}};
}

}  // namespace pitboss::access::detail
