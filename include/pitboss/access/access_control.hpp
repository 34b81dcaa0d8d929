#pragma once
/// @file
/// Operators, roles, permissions and attribute conditions; the deny-by-default check every
/// service call makes.

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/access/condition.hpp"
#include "pitboss/access/permissions.hpp"
#include "pitboss/core/actor.hpp"
#include "pitboss/core/clock.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/storage/database.hpp"
#include "pitboss/storage/migration.hpp"

namespace pitboss::audit {
class AuditLog;
}

namespace pitboss::access {

/// Whether an operator may act.
enum class OperatorStatus { kActive, kDisabled };

/// A back-office person or a system actor.
struct Operator {
    OperatorId id;                                    ///< also the id of the Actor it acts as
    std::string name;                                 ///< unique login / system name
    std::string display_name;                         ///< human-readable name for screens
    ActorKind kind = ActorKind::kOperator;            ///< person or system process
    OperatorStatus status = OperatorStatus::kActive;  ///< disabled operators cannot act
    Timestamp created_at;                             ///< when the operator was created (UTC)
};

/// Input for AccessControl::create_operator.
struct NewOperator {
    std::string name;                       ///< 3-64 of [a-z0-9._-]
    std::string display_name;               ///< human-readable name for screens
    ActorKind kind = ActorKind::kOperator;  ///< person or system process
};

/// A permission granted to a role, optionally under a condition.
struct RolePermission {
    std::string permission;  ///< a name from the permission catalogue
    Condition condition;     ///< must hold on the resource; empty always holds
};

/// A named set of permissions.
struct Role {
    std::string name;                         ///< unique, e.g. "support_agent"
    std::string description;                  ///< what the role is for, for administrators
    std::vector<RolePermission> permissions;  ///< what holders of the role may do
};

/// A role held by an operator, optionally scoped by a condition (e.g. countries DE, AT).
struct RoleAssignment {
    OperatorId operator_id;  ///< who holds the role
    std::string role;        ///< the role's name
    Condition scope;         ///< limits the role to matching resources; empty: everywhere
};

/// The result of a check, with the reason when denied.
struct Decision {
    bool allowed = false;  ///< true when some grant allows the action
    std::string reason;    ///< e.g. "no role grants players.write", "condition country failed"
};

/// The AccessDenied that require() throws: it also carries the permission and the reason,
/// which record_denial() writes into the "access.denied" audit entry.
class PermissionDenied : public AccessDenied {
public:
    /// A denial of `permission` to `actor`, explained by `reason` (audited, never shown raw).
    PermissionDenied(const Actor& actor, std::string_view permission, std::string reason);
    /// The permission that was refused, e.g. "players.write".
    [[nodiscard]] const std::string& permission() const noexcept { return permission_; }
    /// Why, e.g. "condition amount_minor failed"; names attributes, never their values.
    [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

private:
    std::string permission_;
    std::string reason_;
};

/// The immutable in-memory policy checks read (private: src/access/policy.hpp).
class Policy;

/// Roles seeded by the first migration: admin, operator, support_agent, marketer,
/// compliance_officer, analyst. The system actor "bootstrap" holds admin.
///
/// Checks read an in-memory policy (loaded on construction, refreshed after each change made
/// through this object, or by reload()). Checks are thread-safe; allowed() and an allowing
/// check() or require() never allocate (only a denial builds its reason).
class AccessControl final : public Authorizer {
public:
    /// Loads the policy from `db`; changes are audited through `audit`, timed by `clock`.
    AccessControl(storage::Database& db, const Clock& clock, audit::AuditLog& audit);
    ~AccessControl() override;
    AccessControl(const AccessControl&) = delete;
    AccessControl& operator=(const AccessControl&) = delete;

    /// The actor for a named system process; NotFoundError when no such system actor exists.
    [[nodiscard]] Actor system_actor(std::string_view name) const;
    /// The actor for an operator already authenticated by the embedding program (the identity
    /// issue adds passwords and sessions); NotFoundError when unknown, AccessDenied if disabled.
    [[nodiscard]] Actor operator_actor(OperatorId id) const;
    /// Same, by login name.
    [[nodiscard]] Actor operator_actor(std::string_view name) const;

    /// Deny-by-default decision: allowed when some role of the actor grants `permission`
    /// and both that grant's condition and the assignment's scope hold for `resource`.
    /// Unknown, disabled or unassigned operators and unknown permissions are denied.
    [[nodiscard]] Decision check(const Actor& actor, std::string_view permission,
                                 const Attributes& resource = {}) const;
    /// True when some role of the actor grants `permission`, whatever its conditions: the
    /// actor may act on some resources. Lists use it to tell a scoped actor (filter the rows)
    /// from one without the permission (refuse, audited).
    [[nodiscard]] bool grants_any(const Actor& actor, std::string_view permission) const noexcept;
    /// The same decision as check().allowed, without building a reason; never allocates.
    [[nodiscard]] bool allowed(const Actor& actor, std::string_view permission,
                               const Attributes& resource = {}) const noexcept;
    /// Throws PermissionDenied (an AccessDenied naming actor, permission and, when a condition
    /// failed, its attribute) unless check() allows.
    void require(const Actor& actor, std::string_view permission,
                 const Attributes& resource = {}) const override;
    /// Appends an "access.denied" audit entry (target "operator:<id>", after
    /// {"permission", "reason"}) in its own transaction. Services call it after their own
    /// transaction has rolled back (see guarded.hpp). Swallows every failure.
    void record_denial(const Actor& actor, const AccessDenied& denial) const noexcept;

    // --- administration: each needs access.manage (lists need access.read), runs in one
    // transaction with its audit entry, and refreshes the policy after the commit ---

    /// Creates an operator or system actor, active. ValidationError for a bad name or display
    /// name; ConflictError when the name is taken. An empty display name becomes the name.
    Operator create_operator(const Actor& actor, const NewOperator& input);
    /// Enables or disables an operator (no audit entry when unchanged); NotFoundError if absent.
    void set_operator_status(const Actor& actor, OperatorId id, OperatorStatus status);
    /// Creates an empty role; ConflictError when it exists.
    void create_role(const Actor& actor, std::string_view name, std::string_view description);
    /// Grants a catalogued permission to a role under `condition`; ConflictError when the role
    /// already holds it (revoke first to change the condition).
    void grant(const Actor& actor, std::string_view role, std::string_view permission,
               const Condition& condition = {});
    /// Takes a permission from a role; NotFoundError when the role does not hold it.
    void revoke(const Actor& actor, std::string_view role, std::string_view permission);
    /// Gives an operator a role within `scope`; ConflictError when it already holds the role.
    void assign_role(const Actor& actor, OperatorId id, std::string_view role,
                     const Condition& scope = {});
    /// Takes a role from an operator; NotFoundError when it does not hold the role.
    void unassign_role(const Actor& actor, OperatorId id, std::string_view role);
    /// Every operator and system actor, by id.
    [[nodiscard]] std::vector<Operator> list_operators(const Actor& actor) const;
    /// Every role with its grants, by name.
    [[nodiscard]] std::vector<Role> list_roles(const Actor& actor) const;
    /// The roles an operator holds, by role name; NotFoundError when the operator is unknown.
    [[nodiscard]] std::vector<RoleAssignment> assignments(const Actor& actor, OperatorId id) const;

    /// Re-reads the policy from the database (after another process changed it). Checks
    /// running meanwhile see the old or the new policy, never a mix.
    void reload();

    /// The module's schema, with the seeded roles and the bootstrap actor.
    [[nodiscard]] static std::vector<storage::Migration> migrations();

private:
    [[nodiscard]] std::shared_ptr<const Policy> snapshot() const noexcept;
    template <class F>
    auto administer(const Actor& actor, F&& work);

    storage::Database& db_;
    const Clock& clock_;
    audit::AuditLog& audit_;
    std::mutex reload_mutex_;                            // one reload publishes at a time
    std::atomic<std::shared_ptr<const Policy>> policy_;  // swapped atomically on reload
};

}  // namespace pitboss::access
