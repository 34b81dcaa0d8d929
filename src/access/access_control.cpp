#include "pitboss/access/access_control.hpp"

#include <algorithm>
#include <type_traits>
#include <utility>

#include "access/access_store.hpp"
#include "access/guarded.hpp"
#include "access/policy.hpp"
#include "pitboss/audit/audit_log.hpp"

namespace pitboss::access {
namespace {

using detail::AccessStore;
using storage::Transaction;
using storage::TxMode;

constexpr std::size_t kMaxDisplayNameBytes = 128;
constexpr std::size_t kMaxDescriptionBytes = 500;

bool is_lower_alnum(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

void validate_role_name(std::string_view name) {
    const bool charset_ok =
        std::all_of(name.begin(), name.end(), [](char c) { return is_lower_alnum(c) || c == '_'; });
    if (name.size() < 2 || name.size() > 40 || !charset_ok) {
        throw ValidationError("role", "must be 2-40 characters of a-z, 0-9 and _");
    }
}

void validate_operator_name(std::string_view name) {
    const bool charset_ok = std::all_of(name.begin(), name.end(), [](char c) {
        return is_lower_alnum(c) || c == '.' || c == '_' || c == '-';
    });
    if (name.size() < 3 || name.size() > 64 || !charset_ok) {
        throw ValidationError("name", "must be 3-64 characters of a-z, 0-9, '.', '_' and '-'");
    }
}

// Free text shown to people: printable UTF-8 of bounded length.
void validate_text(std::string_view text, std::size_t max_bytes, const char* field) {
    if (text.size() > max_bytes) {
        throw ValidationError(field, "must be at most " + std::to_string(max_bytes) + " bytes");
    }
    for (char c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            throw ValidationError(field, "must not contain control characters");
        }
    }
    try {
        (void)Json(std::string(text)).dump();
    } catch (const Json::exception&) {
        throw ValidationError(field, "must be valid UTF-8");
    }
}

void validate_permission(std::string_view permission) {
    if (!detail::permission_index(permission)) {
        throw ValidationError("permission", "is not a permission pitboss knows");
    }
}

// Caller-supplied permission names end up in messages and the audit log: keep them printable.
std::string printable_permission(std::string_view permission) {
    std::string out;
    for (char c : permission.substr(0, 64)) out += (c > 0x20 && c < 0x7f) ? c : '?';
    return out;
}

Json condition_json(const Condition& condition) {
    return condition.empty() ? Json(nullptr) : condition.to_json();
}

Json operator_json(const Operator& op) {
    return {{"name", op.name},
            {"display_name", op.display_name},
            {"kind", detail::to_string(op.kind)},
            {"status", detail::to_string(op.status)}};
}

std::string operator_target(OperatorId id) { return "operator:" + id.to_string(); }
std::string role_target(std::string_view role) { return "role:" + std::string(role); }

Operator existing_operator(AccessStore& store, OperatorId id) {
    auto op = store.find_operator(id);
    if (!op) throw NotFoundError("operator " + id.to_string() + " does not exist");
    return *op;
}

void require_role(AccessStore& store, std::string_view role) {
    if (!store.role_exists(role)) {
        throw NotFoundError("role '" + std::string(role) + "' does not exist");
    }
}

bool schema_present(storage::Database& db) {
    const auto versions = storage::schema_versions(db);
    return std::any_of(versions.begin(), versions.end(),
                       [](const auto& module) { return module.first == "access"; });
}

Actor actor_of(const Operator& op) {
    if (op.status == OperatorStatus::kDisabled) {
        throw AccessDenied((op.kind == ActorKind::kSystem ? "system:" : "operator:") + op.name +
                           " is disabled");
    }
    return ActorFactory::make(op.id, op.kind, op.name);
}

}  // namespace

PermissionDenied::PermissionDenied(const Actor& actor, std::string_view permission,
                                   std::string reason)
    : AccessDenied(actor.label() + " may not " + printable_permission(permission) + ": " + reason),
      permission_(printable_permission(permission)),
      reason_(std::move(reason)) {}

AccessControl::AccessControl(storage::Database& db, const Clock& clock, audit::AuditLog& audit)
    : db_(db), clock_(clock), audit_(audit) {
    // A database not migrated yet (`pitboss init` opens it first) starts with the empty policy,
    // which denies everything; migrating reloads.
    if (schema_present(db_)) {
        reload();
    } else {
        policy_.store(PolicyBuilder().build());
    }
}

AccessControl::~AccessControl() = default;

// --- checks --------------------------------------------------------------------------------

std::shared_ptr<const Policy> AccessControl::snapshot() const noexcept {
    return policy_.load(std::memory_order_acquire);
}

bool AccessControl::allowed(const Actor& actor, std::string_view permission,
                            const Attributes& resource) const noexcept {
    return snapshot()->allows(actor.id(), permission, resource);
}

bool AccessControl::grants_any(const Actor& actor, std::string_view permission) const noexcept {
    return snapshot()->grants_any(actor.id(), permission);
}

Decision AccessControl::check(const Actor& actor, std::string_view permission,
                              const Attributes& resource) const {
    return snapshot()->decide(actor.id(), permission, resource);
}

void AccessControl::require(const Actor& actor, std::string_view permission,
                            const Attributes& resource) const {
    const std::shared_ptr<const Policy> policy = snapshot();
    if (policy->allows(actor.id(), permission, resource)) return;
    throw PermissionDenied(actor, permission,
                           policy->decide(actor.id(), permission, resource).reason);
}

void AccessControl::record_denial(const Actor& actor, const AccessDenied& denial) const noexcept {
    try {
        Json after = {{"permission", nullptr}, {"reason", denial.what()}};
        if (const auto* detailed = dynamic_cast<const PermissionDenied*>(&denial)) {
            after = {{"permission", detailed->permission()}, {"reason", detailed->reason()}};
        }
        const audit::Change change{"access.denied", operator_target(actor.id()), nullptr,
                                   std::move(after)};
        db_.run(TxMode::kWrite, [&](Transaction& tx) { audit_.append(tx, actor, change); });
    } catch (...) {
        // A denial that cannot be recorded must not turn into a different error: the caller is
        // already throwing AccessDenied.
    }
}

void AccessControl::reload() {
    const std::lock_guard lock(reload_mutex_);
    PolicyBuilder builder;
    {
        Transaction tx = db_.begin(TxMode::kRead);
        AccessStore(tx).load(builder);
    }
    policy_.store(builder.build(), std::memory_order_release);
}

// --- actors --------------------------------------------------------------------------------

Actor AccessControl::system_actor(std::string_view name) const {
    Transaction tx = db_.begin(TxMode::kRead);
    const auto op = AccessStore(tx).find_operator(name);
    if (!op || op->kind != ActorKind::kSystem) {
        throw NotFoundError("no system actor named '" + std::string(name.substr(0, 64)) + "'");
    }
    return actor_of(*op);
}

Actor AccessControl::operator_actor(OperatorId id) const {
    Transaction tx = db_.begin(TxMode::kRead);
    const auto op = AccessStore(tx).find_operator(id);
    if (!op || op->kind != ActorKind::kOperator) {
        throw NotFoundError("operator " + id.to_string() + " does not exist");
    }
    return actor_of(*op);
}

Actor AccessControl::operator_actor(std::string_view name) const {
    Transaction tx = db_.begin(TxMode::kRead);
    const auto op = AccessStore(tx).find_operator(name);
    // Login names can be personal data: the message does not repeat it.
    if (!op || op->kind != ActorKind::kOperator) {
        throw NotFoundError("no operator with the given name");
    }
    return actor_of(*op);
}

// --- administration ------------------------------------------------------------------------

// One write transaction (check, validation, rows, audit entry); a denial is audited after the
// rollback; the policy is rebuilt once the change is committed.
template <class F>
auto AccessControl::administer(const Actor& actor, F&& work) {
    auto run = [&](Transaction& tx) {
        require(actor, permission::kAccessManage);
        AccessStore store(tx);
        return work(tx, store);
    };
    if constexpr (std::is_void_v<decltype(run(std::declval<Transaction&>()))>) {
        guarded(db_, *this, actor, TxMode::kWrite, run);
        reload();
    } else {
        auto result = guarded(db_, *this, actor, TxMode::kWrite, run);
        reload();
        return result;
    }
}

Operator AccessControl::create_operator(const Actor& actor, const NewOperator& input) {
    return administer(actor, [&](Transaction& tx, AccessStore& store) {
        NewOperator clean = input;
        validate_operator_name(clean.name);
        if (clean.display_name.empty()) clean.display_name = clean.name;
        validate_text(clean.display_name, kMaxDisplayNameBytes, "display_name");
        const auto created = store.insert_operator(clean, clock_.now());
        if (!created) throw ConflictError("an operator with that name already exists");
        audit_.append(tx, actor,
                      {"access.operator_created", operator_target(created->id), nullptr,
                       operator_json(*created)});
        return *created;
    });
}

void AccessControl::set_operator_status(const Actor& actor, OperatorId id, OperatorStatus status) {
    administer(actor, [&](Transaction& tx, AccessStore& store) {
        const Operator before = existing_operator(store, id);
        if (before.status == status) return;
        store.set_status(id, status);
        audit_.append(tx, actor,
                      {"access.operator_status_changed",
                       operator_target(id),
                       {{"status", detail::to_string(before.status)}},
                       {{"status", detail::to_string(status)}}});
    });
}

void AccessControl::create_role(const Actor& actor, std::string_view name,
                                std::string_view description) {
    administer(actor, [&](Transaction& tx, AccessStore& store) {
        validate_role_name(name);
        validate_text(description, kMaxDescriptionBytes, "description");
        if (!store.insert_role(name, description)) {
            throw ConflictError("role '" + std::string(name) + "' already exists");
        }
        audit_.append(tx, actor,
                      {"access.role_created",
                       role_target(name),
                       nullptr,
                       {{"name", name}, {"description", description}}});
    });
}

void AccessControl::grant(const Actor& actor, std::string_view role, std::string_view permission,
                          const Condition& condition) {
    administer(actor, [&](Transaction& tx, AccessStore& store) {
        validate_role_name(role);
        validate_permission(permission);
        require_role(store, role);
        if (!store.insert_grant(role, permission, condition)) {
            throw ConflictError("role '" + std::string(role) + "' already holds " +
                                std::string(permission));
        }
        audit_.append(tx, actor,
                      {"access.role_granted",
                       role_target(role),
                       nullptr,
                       {{"permission", permission}, {"condition", condition_json(condition)}}});
    });
}

void AccessControl::revoke(const Actor& actor, std::string_view role, std::string_view permission) {
    administer(actor, [&](Transaction& tx, AccessStore& store) {
        validate_role_name(role);
        validate_permission(permission);
        require_role(store, role);
        const auto removed = store.delete_grant(role, permission);
        if (!removed) {
            throw NotFoundError("role '" + std::string(role) + "' does not hold " +
                                std::string(permission));
        }
        audit_.append(tx, actor,
                      {"access.role_revoked",
                       role_target(role),
                       {{"permission", permission}, {"condition", *removed}},
                       nullptr});
    });
}

void AccessControl::assign_role(const Actor& actor, OperatorId id, std::string_view role,
                                const Condition& scope) {
    administer(actor, [&](Transaction& tx, AccessStore& store) {
        validate_role_name(role);
        (void)existing_operator(store, id);
        require_role(store, role);
        if (!store.insert_assignment(id, role, scope)) {
            throw ConflictError("operator " + id.to_string() + " already holds role '" +
                                std::string(role) + "'");
        }
        audit_.append(tx, actor,
                      {"access.role_assigned",
                       operator_target(id),
                       nullptr,
                       {{"role", role}, {"scope", condition_json(scope)}}});
    });
}

void AccessControl::unassign_role(const Actor& actor, OperatorId id, std::string_view role) {
    administer(actor, [&](Transaction& tx, AccessStore& store) {
        validate_role_name(role);
        (void)existing_operator(store, id);
        const auto removed = store.delete_assignment(id, role);
        if (!removed) {
            throw NotFoundError("operator " + id.to_string() + " does not hold role '" +
                                std::string(role) + "'");
        }
        audit_.append(tx, actor,
                      {"access.role_unassigned",
                       operator_target(id),
                       {{"role", role}, {"scope", *removed}},
                       nullptr});
    });
}

// --- listings ------------------------------------------------------------------------------

std::vector<Operator> AccessControl::list_operators(const Actor& actor) const {
    return guarded(db_, *this, actor, TxMode::kRead, [&](Transaction& tx) {
        require(actor, permission::kAccessRead);
        return AccessStore(tx).operators();
    });
}

std::vector<Role> AccessControl::list_roles(const Actor& actor) const {
    return guarded(db_, *this, actor, TxMode::kRead, [&](Transaction& tx) {
        require(actor, permission::kAccessRead);
        return AccessStore(tx).roles();
    });
}

std::vector<RoleAssignment> AccessControl::assignments(const Actor& actor, OperatorId id) const {
    return guarded(db_, *this, actor, TxMode::kRead, [&](Transaction& tx) {
        require(actor, permission::kAccessRead);
        AccessStore store(tx);
        (void)existing_operator(store, id);
        return store.assignments(id);
    });
}

std::vector<storage::Migration> AccessControl::migrations() { return AccessStore::migrations(); }

}  // namespace pitboss::access
